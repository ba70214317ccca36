package dev.sextant.ingest;

/** The three OTLP signals, and the agent events of the Mastra publish API. */
public enum Signal {
  TRACES("traces", "spans"),
  LOGS("logs", "log records"),
  METRICS("metrics", "data points"),
  /** Mastra metric events, scores and feedback: written to the store by ingest (ADR 0010). */
  EVENTS("events", "events");

  private final String tag;
  private final String recordNoun;

  Signal(String tag, String recordNoun) {
    this.tag = tag;
    this.recordNoun = recordNoun;
  }

  /** The value of the {@code signal} tag on ingest metrics. */
  public String tag() {
    return tag;
  }

  /** What one record of the signal is called in messages ("spans", "data points"). */
  public String recordNoun() {
    return recordNoun;
  }

  /**
   * Whether ingest writes this signal to the store itself (and so throttles it to the store's
   * rate); metrics go to the aggregator, whose credits pace them.
   */
  public boolean writtenByIngest() {
    return switch (this) {
      case TRACES, LOGS, EVENTS -> true;
      case METRICS -> false;
    };
  }
}
