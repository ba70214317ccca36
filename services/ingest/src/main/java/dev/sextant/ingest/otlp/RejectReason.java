package dev.sextant.ingest.otlp;

/**
 * Why one record (span, log record, data point) was refused while the rest of its request was
 * stored. The tag is the {@code reason} label of {@code sextant_ingest_records_rejected_total} and
 * the word used in the partial-success message.
 */
public enum RejectReason {
  INVALID_TRACE_ID("invalid_trace_id"),
  INVALID_SPAN_ID("invalid_span_id"),
  INVALID_PARENT_SPAN_ID("invalid_parent_span_id"),
  MISSING_TIME("missing_time"),
  END_BEFORE_START("end_before_start"),
  TIME_IN_FUTURE("time_in_future"),
  /** A fixed64 time above Long.MAX_VALUE: negative in Java, meaningless as a date. */
  TIME_OUT_OF_RANGE("time_out_of_range"),
  INVALID_SEVERITY("invalid_severity"),
  MISSING_METRIC_NAME("missing_metric_name"),
  /** Remote write: empty or repeated label names, too many labels, an over-long value. */
  INVALID_LABELS("invalid_labels"),
  /** Remote write: Prometheus native histograms, which Sextant does not store (yet). */
  UNSUPPORTED_METRIC_TYPE("unsupported_metric_type"),
  MISSING_TEMPORALITY("missing_temporality"),
  MISSING_VALUE("missing_value"),
  NAN_VALUE("nan_value"),
  INFINITE_VALUE("infinite_value"),
  INVALID_HISTOGRAM("invalid_histogram"),
  INVALID_SUMMARY("invalid_summary"),
  /**
   * A histogram or summary point flagged FLAG_NO_RECORDED_VALUE: it has nothing to store (number
   * points with the flag become Prometheus staleness markers instead).
   */
  NO_RECORDED_VALUE("no_recorded_value"),
  /** Mastra publish API: a record without its id (span, trace, metric, log, score, feedback). */
  MISSING_ID("missing_id"),
  /** Mastra publish API: a record that is not an object, or lacks a required field. */
  INVALID_RECORD("invalid_record");

  private final String tag;

  RejectReason(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
