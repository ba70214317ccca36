package dev.sextant.promql.parser;

/**
 * The {@code @} modifier: evaluate at a fixed time instead of each step's. {@code start()} and
 * {@code end()} are resolved by the engine from the query's own range.
 */
public record AtModifier(Kind kind, long timestampMs) {
  /** What the modifier names. */
  public enum Kind {
    TIMESTAMP,
    START,
    END
  }

  static AtModifier at(long timestampMs) {
    return new AtModifier(Kind.TIMESTAMP, timestampMs);
  }
}
