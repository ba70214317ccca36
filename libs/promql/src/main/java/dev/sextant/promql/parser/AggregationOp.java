package dev.sextant.promql.parser;

/** The aggregation operators; four of them take a parameter before the vector. */
public enum AggregationOp {
  SUM("sum"),
  AVG("avg"),
  COUNT("count"),
  MIN("min"),
  MAX("max"),
  GROUP("group"),
  STDDEV("stddev"),
  STDVAR("stdvar"),
  TOPK("topk"),
  BOTTOMK("bottomk"),
  COUNT_VALUES("count_values"),
  QUANTILE("quantile");

  private final String text;

  AggregationOp(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** The type of the parameter, or null when the operator takes none. */
  public ValueType parameterType() {
    return switch (this) {
      case TOPK, BOTTOMK, QUANTILE -> ValueType.SCALAR;
      case COUNT_VALUES -> ValueType.STRING;
      case SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR -> null;
    };
  }

  static AggregationOp of(TokenType t) {
    for (AggregationOp op : values()) {
      if (op.text.equals(t.text)) {
        return op;
      }
    }
    return null;
  }
}
