package dev.sextant.promql.parser;

import dev.sextant.storage.query.LabelMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Parses PromQL into a typed {@link Expr} tree: precedence climbing over the binary operators
 * (Prometheus's precedence, {@code ^} right-associative, unary minus between {@code *} and {@code
 * ^}), recursive descent for the rest. Type checks run bottom-up as nodes are built, so the first
 * error reported is the innermost one, with Prometheus's wording.
 */
public final class Parser {
  /** Unary minus binds tighter than * / % but looser than ^: -a^b is -(a^b), -a*b is (-a)*b. */
  private static final int UNARY_OPERAND_PRECEDENCE = BinaryOp.POW.precedence();

  private final List<Token> tokens;
  private int next;

  private Parser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** Parses and type-checks a whole expression. */
  public static Expr parse(String query) {
    try {
      Parser p = new Parser(Lexer.lex(query));
      if (p.peek().type() == TokenType.EOF) {
        throw new ParseException(0, "no expression found in input");
      }
      Expr e = p.expression(0);
      p.expectEnd();
      return e;
    } catch (ParseException e) {
      throw e.in(query);
    }
  }

  /**
   * Parses a plain vector selector ({@code name{matchers}}), as the series and label APIs take it:
   * no range, offset, function or operator.
   */
  public static VectorSelector parseSelector(String selector) {
    try {
      Parser p = new Parser(Lexer.lex(selector));
      Token first = p.peek();
      VectorSelector vs;
      if (first.type() == TokenType.EOF) {
        throw new ParseException(first.pos(), "empty selector: expected a metric name or '{'");
      } else if (first.type() == TokenType.LEFT_BRACE) {
        vs = (VectorSelector) p.selector(null, first.pos());
      } else if (first.type() == TokenType.IDENTIFIER
          || first.type() == TokenType.METRIC_IDENTIFIER
          || isKeywordUsableAsName(first)) {
        p.next++;
        vs = (VectorSelector) p.selector(first.text(), first.pos());
      } else {
        throw unexpected(first, null, "a metric name or '{'");
      }
      p.expectEnd();
      return vs;
    } catch (ParseException e) {
      throw e.in(selector);
    }
  }

  private void expectEnd() {
    Token t = peek();
    if (t.type() != TokenType.EOF) {
      throw unexpected(t, null, null);
    }
  }

  // ---- binary operators

  private Expr expression(int minPrecedence) {
    Expr lhs = unary();
    while (true) {
      Token t = peek();
      BinaryOp op = BinaryOp.of(t.type());
      if (op == null || op.precedence() < minPrecedence) {
        return lhs;
      }
      next++;
      boolean returnBool = false;
      if (peek().type() == TokenType.BOOL) {
        next++;
        returnBool = true;
      }
      VectorMatching matching = matching(op, lhs.position().start());
      Expr rhs = expression(op.rightAssociative() ? op.precedence() : op.precedence() + 1);
      lhs = TypeChecker.binary(op, lhs, rhs, matching, returnBool, t.pos());
    }
  }

  private VectorMatching matching(BinaryOp op, int lhsStart) {
    VectorMatching.Cardinality card =
        op.isSetOperator()
            ? VectorMatching.Cardinality.MANY_TO_MANY
            : VectorMatching.Cardinality.ONE_TO_ONE;
    List<String> labels = List.of();
    List<String> include = List.of();
    boolean on = false;
    TokenType t = peek().type();
    if (t == TokenType.ON || t == TokenType.IGNORING) {
      next++;
      on = t == TokenType.ON;
      labels = labelList();
      TokenType g = peek().type();
      if (g == TokenType.GROUP_LEFT || g == TokenType.GROUP_RIGHT) {
        Token group = take();
        if (op.isSetOperator()) {
          throw new ParseException(
              lhsStart, "no grouping allowed for \"" + op.text() + "\" operation");
        }
        card =
            g == TokenType.GROUP_LEFT
                ? VectorMatching.Cardinality.MANY_TO_ONE
                : VectorMatching.Cardinality.ONE_TO_MANY;
        if (peek().type() == TokenType.LEFT_PAREN) {
          include = labelList();
        }
      }
    } else if (t == TokenType.GROUP_LEFT || t == TokenType.GROUP_RIGHT) {
      throw unexpected(peek(), "binary expression", null);
    }
    return new VectorMatching(card, labels, on, include);
  }

  private Expr unary() {
    Token t = peek();
    if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
      next++;
      Expr operand = expression(UNARY_OPERAND_PRECEDENCE);
      PositionRange pos = new PositionRange(t.pos(), operand.position().end());
      if (operand instanceof NumberLiteral n) {
        return new NumberLiteral(t.type() == TokenType.SUB ? -n.value() : n.value(), pos);
      }
      if (operand.type() != ValueType.SCALAR && operand.type() != ValueType.VECTOR) {
        throw new ParseException(
            t.pos(),
            "unary expression only allowed on expressions of type scalar or instant vector, got"
                + " \""
                + operand.type()
                + "\"");
      }
      return new UnaryExpr(t.type() == TokenType.SUB, operand, pos);
    }
    return postfix(primary());
  }

  // ---- offset, @, ranges and subqueries

  private Expr postfix(Expr e) {
    while (true) {
      Token t = peek();
      switch (t.type()) {
        case LEFT_BRACKET -> e = rangeOrSubquery(e);
        case OFFSET -> e = offset(e);
        case AT -> e = at(e);
        default -> {
          return e;
        }
      }
    }
  }

  private Expr rangeOrSubquery(Expr e) {
    Token open = take();
    Token rangeToken = expect(TokenType.DURATION, "range", "duration");
    long range = positiveDuration(rangeToken);
    if (peek().type() == TokenType.COLON) {
      next++;
      long step = 0;
      if (peek().type() == TokenType.DURATION) {
        step = positiveDuration(take());
      }
      Token close = expect(TokenType.RIGHT_BRACKET, "subquery selector", "\"]\"");
      if (e.type() != ValueType.VECTOR) {
        throw new ParseException(
            e.position().start(),
            "subquery is only allowed on instant vector, got " + e.type() + " instead");
      }
      return new SubqueryExpr(
          e, range, step, 0, null, new PositionRange(e.position().start(), close.end()));
    }
    Token close = expect(TokenType.RIGHT_BRACKET, "matrix selector", "\"]\"");
    if (!(e instanceof VectorSelector vs)) {
      throw new ParseException(open.pos(), "ranges only allowed for vector selectors");
    }
    if (vs.offsetMs() != 0) {
      throw new ParseException(open.pos(), "no offset modifiers allowed before range");
    }
    if (vs.at() != null) {
      throw new ParseException(open.pos(), "no @ modifiers allowed before range");
    }
    return new MatrixSelector(vs, range, new PositionRange(vs.position().start(), close.end()));
  }

  private Expr offset(Expr e) {
    next++; // offset
    boolean negative = false;
    if (peek().type() == TokenType.SUB || peek().type() == TokenType.ADD) {
      negative = take().type() == TokenType.SUB;
    }
    Token d = expect(TokenType.DURATION, "offset", "duration");
    long offset = duration(d);
    if (negative) {
      offset = -offset;
    }
    final long value = offset;
    return modify(
        e,
        "offset",
        m -> m.offsetMs() != 0,
        "offset may not be set multiple times",
        m -> m.withOffset(value));
  }

  private Expr at(Expr e) {
    next++; // @
    AtModifier modifier;
    Token t = peek();
    if (t.type() == TokenType.START || t.type() == TokenType.END) {
      next++;
      expect(TokenType.LEFT_PAREN, "@ modifier", "\"(\"");
      expect(TokenType.RIGHT_PAREN, "@ modifier", "\")\"");
      modifier =
          new AtModifier(
              t.type() == TokenType.START ? AtModifier.Kind.START : AtModifier.Kind.END, 0);
    } else {
      double sign = 1;
      if (t.type() == TokenType.SUB || t.type() == TokenType.ADD) {
        sign = take().type() == TokenType.SUB ? -1 : 1;
      }
      Token n = expect(TokenType.NUMBER, "@ modifier", "number or start() or end()");
      double seconds = sign * number(n);
      if (Double.isNaN(seconds)
          || Double.isInfinite(seconds)
          || seconds >= Long.MAX_VALUE / 1000.0
          || seconds <= Long.MIN_VALUE / 1000.0) {
        throw new ParseException(
            n.pos(), "timestamp out of bounds for @ modifier: " + String.format("%f", seconds));
      }
      modifier = AtModifier.at(Math.round(seconds * 1000));
    }
    final AtModifier value = modifier;
    return modify(
        e,
        "@",
        m -> m.at() != null,
        "@ <timestamp> may not be set multiple times",
        m -> m.withAt(value));
  }

  /**
   * Sets an offset or @ on the node that carries it: a selector, the selector of a range selector,
   * or a subquery.
   */
  private static Expr modify(
      Expr e,
      String modifier,
      Predicate<Modifiable> alreadySet,
      String alreadySetMessage,
      UnaryOperator<Modifiable> set) {
    Modifiable target =
        switch (e) {
          case VectorSelector vs -> vs;
          case MatrixSelector ms -> ms.selector();
          case SubqueryExpr sq -> sq;
          default ->
              throw new ParseException(
                  e.position().start(),
                  modifier
                      + " modifier must be preceded by an instant vector selector or range vector"
                      + " selector or a subquery");
        };
    if (alreadySet.test(target)) {
      throw new ParseException(e.position().start(), alreadySetMessage);
    }
    Modifiable modified = set.apply(target);
    return e instanceof MatrixSelector ms
        ? new MatrixSelector((VectorSelector) modified, ms.rangeMs(), ms.position())
        : (Expr) modified;
  }

  // ---- primaries

  private Expr primary() {
    Token t = peek();
    switch (t.type()) {
      case NUMBER -> {
        next++;
        return new NumberLiteral(number(t), new PositionRange(t.pos(), t.end()));
      }
      case STRING -> {
        next++;
        return new StringLiteral(t.text(), new PositionRange(t.pos(), t.end()));
      }
      case LEFT_PAREN -> {
        next++;
        Expr inner = expression(0);
        Token close = expect(TokenType.RIGHT_PAREN, "paren expression", "\")\"");
        return new ParenExpr(inner, new PositionRange(t.pos(), close.end()));
      }
      case LEFT_BRACE -> {
        return selector(null, t.pos());
      }
      case IDENTIFIER -> {
        next++;
        if (peek().type() == TokenType.LEFT_PAREN) {
          return call(t);
        }
        return selector(t.text(), t.pos());
      }
      case METRIC_IDENTIFIER -> {
        next++;
        return selector(t.text(), t.pos());
      }
      default -> {
        if (t.type().kind == TokenType.Kind.AGGREGATOR) {
          TokenType after = tokens.get(next + 1).type();
          if (after == TokenType.LEFT_PAREN
              || after == TokenType.BY
              || after == TokenType.WITHOUT) {
            return aggregation();
          }
        }
        if (isKeywordUsableAsName(t)) {
          next++;
          return selector(t.text(), t.pos());
        }
        throw unexpected(t, null, null);
      }
    }
  }

  /** Prometheus lets keywords and aggregation names be metric names. */
  private static boolean isKeywordUsableAsName(Token t) {
    return switch (t.type().kind) {
      case AGGREGATOR, KEYWORD -> true;
      case OPERATOR ->
          t.type() == TokenType.LAND || t.type() == TokenType.LOR || t.type() == TokenType.LUNLESS;
      case OTHER, PUNCTUATION -> false;
    };
  }

  private Expr call(Token name) {
    FunctionSignature f = FunctionSignatures.lookup(name.text());
    if (f == null) {
      throw new ParseException(name.pos(), "unknown function with name \"" + name.text() + "\"");
    }
    List<Expr> args = new ArrayList<>();
    Token close = arguments(args);
    return TypeChecker.call(f, args, new PositionRange(name.pos(), close.end()));
  }

  /** {@code ( [expr {, expr} [,]] )}; returns the closing parenthesis. */
  private Token arguments(List<Expr> args) {
    expect(TokenType.LEFT_PAREN, "function call", "\"(\"");
    while (peek().type() != TokenType.RIGHT_PAREN) {
      args.add(expression(0));
      if (peek().type() == TokenType.COMMA) {
        next++;
      } else if (peek().type() != TokenType.RIGHT_PAREN) {
        throw unexpected(peek(), "function call arguments", "\",\" or \")\"");
      }
    }
    return take();
  }

  private Expr aggregation() {
    Token opToken = take();
    AggregationOp op = AggregationOp.of(opToken.type());
    List<String> grouping = List.of();
    boolean without = false;
    boolean groupingGiven = false;
    if (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT) {
      without = take().type() == TokenType.WITHOUT;
      grouping = labelList();
      groupingGiven = true;
    }
    List<Expr> args = new ArrayList<>();
    Token close = arguments(args);
    if (!groupingGiven && (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT)) {
      without = take().type() == TokenType.WITHOUT;
      grouping = labelList();
    }
    int end = tokens.get(next - 1).end();
    return TypeChecker.aggregation(
        op, args, grouping, without, new PositionRange(opToken.pos(), Math.max(end, close.end())));
  }

  /** {@code ( [label {, label} [,]] )} */
  private List<String> labelList() {
    expect(TokenType.LEFT_PAREN, "grouping opts", "\"(\"");
    List<String> labels = new ArrayList<>();
    while (peek().type() != TokenType.RIGHT_PAREN) {
      Token t = peek();
      if (!t.isLabelName()) {
        throw unexpected(t, "grouping opts", "label");
      }
      next++;
      labels.add(t.text());
      if (peek().type() == TokenType.COMMA) {
        next++;
      } else if (peek().type() != TokenType.RIGHT_PAREN) {
        throw unexpected(peek(), "grouping opts", "\",\" or \")\"");
      }
    }
    next++;
    return labels;
  }

  /**
   * {@code name}, {@code name{...}} or {@code {...}}; inside the braces a string alone is a quoted
   * metric name (Prometheus 3), so names that are not identifiers can be selected.
   */
  private Expr selector(String name, int start) {
    List<LabelMatcher> matchers = new ArrayList<>();
    String metricName = name;
    int end = start + (name == null ? 0 : name.length());
    boolean nameInBraces = false;
    String braceName = null;
    if (peek().type() == TokenType.LEFT_BRACE) {
      next++;
      while (peek().type() != TokenType.RIGHT_BRACE) {
        Token label = peek();
        if (label.type() == TokenType.STRING && !isMatchOp(tokens.get(next + 1).type())) {
          next++;
          if (label.text().isEmpty()) {
            throw new ParseException(label.pos(), "metric name must not be empty");
          }
          if (metricName != null) {
            throw new ParseException(
                label.pos(),
                "metric name must not be set twice: \""
                    + metricName
                    + "\" or \""
                    + label.text()
                    + "\"");
          }
          metricName = label.text();
        } else {
          if (label.type() != TokenType.IDENTIFIER && label.type() != TokenType.STRING) {
            throw unexpected(label, "label matching", "identifier or \"}\"");
          }
          next++;
          if (label.text().isEmpty()) {
            throw new ParseException(label.pos(), "label name must not be empty");
          }
          Token opToken = peek();
          LabelMatcher.Type type = matchType(opToken.type());
          if (type == null) {
            throw unexpected(opToken, "label matching", "label matching operator");
          }
          next++;
          Token value = peek();
          if (value.type() != TokenType.STRING) {
            throw unexpected(value, "label matching", "string");
          }
          next++;
          try {
            matchers.add(Matchers.of(label.text(), type, value.text()));
          } catch (IllegalArgumentException e) {
            throw new ParseException(value.pos(), e.getMessage());
          }
          if (LabelMatcher.METRIC_NAME.equals(label.text())) {
            nameInBraces = true;
            braceName = value.text();
          }
        }
        if (peek().type() == TokenType.COMMA) {
          next++;
        } else if (peek().type() != TokenType.RIGHT_BRACE) {
          throw unexpected(peek(), "label matching", "\",\" or \"}\"");
        }
      }
      end = take().end();
    }
    if (metricName != null) {
      if (nameInBraces) {
        throw new ParseException(
            start,
            "metric name must not be set twice: \"" + metricName + "\" or \"" + braceName + "\"");
      }
      matchers.add(Matchers.of(LabelMatcher.METRIC_NAME, LabelMatcher.Type.EQUAL, metricName));
    }
    if (matchers.stream().allMatch(m -> m.matches(""))) {
      throw new ParseException(
          start, "vector selector must contain at least one non-empty matcher");
    }
    return new VectorSelector(metricName, matchers, 0, null, new PositionRange(start, end));
  }

  private static boolean isMatchOp(TokenType t) {
    return matchType(t) != null;
  }

  private static final Map<TokenType, LabelMatcher.Type> MATCH_OPERATORS =
      Map.of(
          TokenType.EQL, LabelMatcher.Type.EQUAL,
          TokenType.NEQ, LabelMatcher.Type.NOT_EQUAL,
          TokenType.EQL_REGEX, LabelMatcher.Type.REGEX,
          TokenType.NEQ_REGEX, LabelMatcher.Type.NOT_REGEX);

  /** The matcher type a token stands for inside braces, or null. */
  private static LabelMatcher.Type matchType(TokenType t) {
    return MATCH_OPERATORS.get(t);
  }

  // ---- tokens

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    return tokens.get(next++);
  }

  private Token expect(TokenType type, String context, String expected) {
    Token t = peek();
    if (t.type() != type) {
      throw unexpected(t, context, expected);
    }
    next++;
    return t;
  }

  private static ParseException unexpected(Token t, String context, String expected) {
    StringBuilder msg = new StringBuilder("unexpected ").append(t.describe());
    if (context != null) {
      msg.append(" in ").append(context);
    }
    if (expected != null) {
      msg.append(", expected ").append(expected);
    }
    return new ParseException(t.pos(), msg.toString());
  }

  private static long positiveDuration(Token t) {
    long d = duration(t);
    if (d <= 0) {
      throw new ParseException(t.pos(), "duration must be greater than 0");
    }
    return d;
  }

  private static long duration(Token t) {
    try {
      return Durations.parseMillis(t.text());
    } catch (IllegalArgumentException e) {
      throw new ParseException(t.pos(), e.getMessage());
    }
  }

  /** As Prometheus: an integer in Go's base-prefix syntax (0x1f, 010 octal) or else a float. */
  static double number(Token t) {
    String s = t.text();
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) {
        return Long.parseLong(s.substring(2), 16);
      }
      if (s.length() > 1 && s.charAt(0) == '0' && s.chars().allMatch(c -> c >= '0' && c <= '7')) {
        return Long.parseLong(s.substring(1), 8);
      }
      String lower = s.toLowerCase(java.util.Locale.ROOT);
      if (lower.equals("inf")) {
        return Double.POSITIVE_INFINITY;
      }
      if (lower.equals("nan")) {
        return Double.NaN;
      }
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new ParseException(t.pos(), "error parsing number: " + s);
    }
  }
}
