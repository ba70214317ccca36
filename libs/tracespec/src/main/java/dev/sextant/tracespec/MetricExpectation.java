package dev.sextant.tracespec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metric series the trace should have moved: a metric {@code name} (a pattern), a subset of its
 * {@code labels} (text predicates), and predicates on the series' {@code value} (its last sample in
 * the trace's {@link MetricWindow}) and {@code delta} (that value minus the baseline before the
 * trace). A number sample's value is its value; a histogram's or summary's is its observation
 * count. {@code count} is how many series must satisfy all of it (default {@code "1.."}; {@code 0}
 * forbids). A null field is not checked.
 */
public record MetricExpectation(
    TextPattern name,
    Map<String, AttributePredicate> labels,
    AttributePredicate.Range value,
    AttributePredicate.Range delta,
    CountRange count) {

  public MetricExpectation {
    labels =
        labels == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    count = count == null ? CountRange.atLeast(1) : count;
  }

  /** One line that says what this expectation asks, for reports. */
  public String label() {
    StringBuilder s = new StringBuilder(name.shortForm());
    if (!labels.isEmpty()) {
      s.append(AttributePredicate.Values.showPredicates(labels));
    }
    if (value != null) {
      s.append(" value ").append(value);
    }
    if (delta != null) {
      s.append(" delta ").append(delta);
    }
    if (!count.equals(CountRange.atLeast(1))) {
      s.append(" x").append(count);
    }
    return s.toString();
  }
}
