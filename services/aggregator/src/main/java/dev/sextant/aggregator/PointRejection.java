package dev.sextant.aggregator;

import java.util.Locale;

/** Why one point of an otherwise accepted batch was refused for good. */
enum PointRejection {
  /** The type is unspecified or unknown to this version. */
  UNKNOWN_TYPE,
  /** The point has no value, or a value of the wrong kind for its type. */
  INVALID_VALUE,
  /** The value is NaN (other than the staleness marker): it cannot be told from no sample. */
  NAN_VALUE,
  /** A sum (counter, up-down counter, histogram sum) is infinite. */
  INFINITE_SUM,
  /** A monotonic counter went below zero. */
  NEGATIVE_COUNTER,
  /** Buckets and bounds do not fit together, or counts do not add up. */
  INVALID_HISTOGRAM,
  /** Quantiles outside [0, 1], unsorted or repeated; an infinite sum or quantile value. */
  INVALID_SUMMARY,
  /** A sum or histogram without a temporality. */
  INVALID_TEMPORALITY,
  /** No time, or a start after the time. */
  INVALID_TIMESTAMP,
  /** An empty or oversized metric name. */
  INVALID_NAME,
  /** Empty, duplicate, reserved or too many label names. */
  INVALID_LABELS,
  /** A series ref out of range, not defined on its stream, or defined for another tenant. */
  INVALID_SERIES_REF,
  /** The metric name already has another type in this tenant. */
  TYPE_CONFLICT,
  /** The metric name already arrives with the other temporality in this tenant. */
  TEMPORALITY_CONFLICT,
  /** The metric name already has another unit in this tenant. */
  UNIT_CONFLICT,
  /** A delta point older than its series' running sum by more than the late tolerance. */
  OUT_OF_ORDER;

  /** The label value on metrics and the word in ack messages. */
  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
