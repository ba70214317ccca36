package dev.sextant.promql.parser;

/** The kinds of PromQL tokens, with the text Prometheus uses for them in error messages. */
enum TokenType {
  EOF(Kind.OTHER, null),
  COMMENT(Kind.OTHER, null),
  IDENTIFIER(Kind.OTHER, null),
  METRIC_IDENTIFIER(Kind.OTHER, null),
  STRING(Kind.OTHER, null),
  NUMBER(Kind.OTHER, null),
  DURATION(Kind.OTHER, null),
  LEFT_PAREN(Kind.PUNCTUATION, "("),
  RIGHT_PAREN(Kind.PUNCTUATION, ")"),
  LEFT_BRACE(Kind.PUNCTUATION, "{"),
  RIGHT_BRACE(Kind.PUNCTUATION, "}"),
  LEFT_BRACKET(Kind.PUNCTUATION, "["),
  RIGHT_BRACKET(Kind.PUNCTUATION, "]"),
  COMMA(Kind.PUNCTUATION, ","),
  COLON(Kind.PUNCTUATION, ":"),
  AT(Kind.OPERATOR, "@"),
  // Operators.
  EQL(Kind.PUNCTUATION, "="),
  EQLC(Kind.OPERATOR, "=="),
  NEQ(Kind.OPERATOR, "!="),
  EQL_REGEX(Kind.OPERATOR, "=~"),
  NEQ_REGEX(Kind.OPERATOR, "!~"),
  LSS(Kind.OPERATOR, "<"),
  LTE(Kind.OPERATOR, "<="),
  GTR(Kind.OPERATOR, ">"),
  GTE(Kind.OPERATOR, ">="),
  ADD(Kind.OPERATOR, "+"),
  SUB(Kind.OPERATOR, "-"),
  MUL(Kind.OPERATOR, "*"),
  DIV(Kind.OPERATOR, "/"),
  MOD(Kind.OPERATOR, "%"),
  POW(Kind.OPERATOR, "^"),
  LAND(Kind.OPERATOR, "and"),
  LOR(Kind.OPERATOR, "or"),
  LUNLESS(Kind.OPERATOR, "unless"),
  ATAN2(Kind.OPERATOR, "atan2"),
  // Aggregators.
  SUM(Kind.AGGREGATOR, "sum"),
  AVG(Kind.AGGREGATOR, "avg"),
  COUNT(Kind.AGGREGATOR, "count"),
  MIN(Kind.AGGREGATOR, "min"),
  MAX(Kind.AGGREGATOR, "max"),
  GROUP(Kind.AGGREGATOR, "group"),
  STDDEV(Kind.AGGREGATOR, "stddev"),
  STDVAR(Kind.AGGREGATOR, "stdvar"),
  TOPK(Kind.AGGREGATOR, "topk"),
  BOTTOMK(Kind.AGGREGATOR, "bottomk"),
  COUNT_VALUES(Kind.AGGREGATOR, "count_values"),
  QUANTILE(Kind.AGGREGATOR, "quantile"),
  // Keywords.
  OFFSET(Kind.KEYWORD, "offset"),
  BY(Kind.KEYWORD, "by"),
  WITHOUT(Kind.KEYWORD, "without"),
  ON(Kind.KEYWORD, "on"),
  IGNORING(Kind.KEYWORD, "ignoring"),
  GROUP_LEFT(Kind.KEYWORD, "group_left"),
  GROUP_RIGHT(Kind.KEYWORD, "group_right"),
  BOOL(Kind.KEYWORD, "bool"),
  START(Kind.KEYWORD, "start"),
  END(Kind.KEYWORD, "end");

  enum Kind {
    OTHER,
    PUNCTUATION,
    OPERATOR,
    AGGREGATOR,
    KEYWORD
  }

  final Kind kind;
  final String text;

  TokenType(Kind kind, String text) {
    this.kind = kind;
    this.text = text;
  }

  /** Words with a meaning of their own; every other word is an identifier. */
  static TokenType keyword(String lowerCaseWord) {
    for (TokenType t : values()) {
      if ((t.kind == Kind.AGGREGATOR
              || t.kind == Kind.KEYWORD
              || t == LAND
              || t == LOR
              || t == LUNLESS
              || t == ATAN2)
          && t.text.equals(lowerCaseWord)) {
        return t;
      }
    }
    return null;
  }

  /** How Prometheus names the kind in "unexpected ..." messages. */
  String describe() {
    return switch (this) {
      case EOF -> "end of input";
      case COMMENT -> "comment";
      case IDENTIFIER -> "identifier";
      case METRIC_IDENTIFIER -> "metric identifier";
      case STRING -> "string";
      case NUMBER -> "number";
      case DURATION -> "duration";
      case LEFT_PAREN,
          RIGHT_PAREN,
          LEFT_BRACE,
          RIGHT_BRACE,
          LEFT_BRACKET,
          RIGHT_BRACKET,
          COMMA,
          COLON,
          AT,
          EQL,
          EQLC,
          NEQ,
          EQL_REGEX,
          NEQ_REGEX,
          LSS,
          LTE,
          GTR,
          GTE,
          ADD,
          SUB,
          MUL,
          DIV,
          MOD,
          POW,
          LAND,
          LOR,
          LUNLESS,
          ATAN2,
          SUM,
          AVG,
          COUNT,
          MIN,
          MAX,
          GROUP,
          STDDEV,
          STDVAR,
          TOPK,
          BOTTOMK,
          COUNT_VALUES,
          QUANTILE,
          OFFSET,
          BY,
          WITHOUT,
          ON,
          IGNORING,
          GROUP_LEFT,
          GROUP_RIGHT,
          BOOL,
          START,
          END ->
          "\"" + text + "\"";
    };
  }
}
