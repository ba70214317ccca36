package dev.sextant.promql.parser;

/** The four types a PromQL expression can have, named as Prometheus names them in errors. */
public enum ValueType {
  SCALAR("scalar"),
  VECTOR("instant vector"),
  MATRIX("range vector"),
  STRING("string");

  private final String text;

  ValueType(String text) {
    this.text = text;
  }

  @Override
  public String toString() {
    return text;
  }
}
