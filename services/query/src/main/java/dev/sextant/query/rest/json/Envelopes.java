package dev.sextant.query.rest.json;

import java.util.List;

/** The top-level objects of the REST answers. */
public final class Envelopes {
  private Envelopes() {}

  public record Traces(List<TraceSummaryJson> traces) {}

  public record Logs(List<LogRecordJson> logs) {}

  public record Names(List<String> names) {}

  public record Series(List<SeriesJson> series) {}

  public record Points(List<PointJson> points) {}

  /** Every error, shaped like Prometheus' API errors. */
  public record Error(String status, String errorType, String error) {
    public Error(String errorType, String error) {
      this("error", errorType, error);
    }
  }
}
