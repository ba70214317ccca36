package dev.sextant.ingest.otlp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/** What the limits cut from the records of one request, by reason. */
public final class Truncations {
  private final Map<TruncationReason, Long> counts = new EnumMap<>(TruncationReason.class);

  public void add(TruncationReason reason) {
    add(reason, 1);
  }

  public void add(TruncationReason reason, long occurrences) {
    if (occurrences > 0) {
      counts.merge(reason, occurrences, Long::sum);
    }
  }

  public Map<TruncationReason, Long> counts() {
    return Collections.unmodifiableMap(counts);
  }

  /** {@code "limits applied: attribute_value_length x3, ..."}, or empty when nothing was cut. */
  public String describe() {
    if (counts.isEmpty()) {
      return "";
    }
    StringJoiner parts = new StringJoiner(", ", "limits applied: ", "");
    counts.forEach((reason, n) -> parts.add(reason.tag() + " x" + n));
    return parts.toString();
  }
}
