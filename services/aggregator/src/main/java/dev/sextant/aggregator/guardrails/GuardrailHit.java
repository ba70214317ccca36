package dev.sextant.aggregator.guardrails;

import java.util.Locale;

/** Which guardrail changed where a point went. None of them drops data: see {@link Guardrails}. */
public enum GuardrailHit {
  /** A label on the deny list (ids such as trace_id or user_id) was removed. */
  DENIED_LABEL,
  /** A label outside the metric's allow list was removed. */
  NOT_ALLOWED_LABEL,
  /** A label whose value is a UUID was removed. */
  UUID_LABEL,
  /** A label value over the length limit was cut. */
  LONG_LABEL_VALUE,
  /** A new series over the tenant's active-series limit went to the overflow series. */
  TENANT_SERIES_LIMIT,
  /** A new series over the metric's active-series limit went to the overflow series. */
  METRIC_SERIES_LIMIT;

  /** The label value on self-metrics and the word in ack messages. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
