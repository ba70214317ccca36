package dev.sextant.ingest.otlp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/** The records of one request refused individually, by reason, with the first example of each. */
public final class Rejections {
  /** Reasons spelled out in the partial-success message; the message must stay short. */
  static final int REASONS_IN_MESSAGE = 5;

  private final Map<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);
  private final Map<RejectReason, String> examples = new EnumMap<>(RejectReason.class);
  private int total;

  public void reject(RejectReason reason, String detail) {
    reject(reason, detail, 1);
  }

  public void reject(RejectReason reason, String detail, int records) {
    if (records <= 0) {
      return;
    }
    counts.merge(reason, records, Integer::sum);
    examples.putIfAbsent(reason, detail);
    total += records;
  }

  public int total() {
    return total;
  }

  public Map<RejectReason, Integer> counts() {
    return Collections.unmodifiableMap(counts);
  }

  /**
   * {@code "rejected 3 spans: invalid_trace_id x2 (trace id must be 16 bytes, got 3), ..."}, or
   * empty when nothing was rejected.
   */
  public String describe(String recordNoun) {
    if (total == 0) {
      return "";
    }
    StringJoiner reasons = new StringJoiner(", ");
    int shown = 0;
    for (Map.Entry<RejectReason, Integer> entry : counts.entrySet()) {
      if (shown++ == REASONS_IN_MESSAGE) {
        reasons.add("and " + (counts.size() - REASONS_IN_MESSAGE) + " more reasons");
        break;
      }
      reasons.add(
          entry.getKey().tag()
              + " x"
              + entry.getValue()
              + " ("
              + examples.get(entry.getKey())
              + ")");
    }
    return "rejected " + total + " " + recordNoun + ": " + reasons;
  }
}
