package dev.sextant.aggregator;

import java.util.EnumMap;
import java.util.Map;

/**
 * The points of one batch that were refused, counted by reason, with the first message of each
 * reason: enough for the sender to name the problem to its client without an unbounded message.
 */
final class RejectionSummary {
  private static final int MAX_MESSAGE_LENGTH = 1024;

  private final Map<PointRejection, Integer> counts = new EnumMap<>(PointRejection.class);
  private final Map<PointRejection, String> firstMessages = new EnumMap<>(PointRejection.class);
  private int total;

  void add(PointRejection reason, String message) {
    counts.merge(reason, 1, Integer::sum);
    firstMessages.putIfAbsent(reason, message);
    total++;
  }

  int total() {
    return total;
  }

  Map<PointRejection, Integer> counts() {
    return counts;
  }

  /** For example {@code 3 points rejected: nan_value x2 (metric 'cpu': value is NaN); ...}. */
  String message() {
    if (total == 0) {
      return "";
    }
    StringBuilder message =
        new StringBuilder().append(total).append(total == 1 ? " point" : " points");
    message.append(" rejected: ");
    String separator = "";
    for (Map.Entry<PointRejection, Integer> entry : counts.entrySet()) {
      message
          .append(separator)
          .append(entry.getKey().tag())
          .append(" x")
          .append(entry.getValue())
          .append(" (")
          .append(firstMessages.get(entry.getKey()))
          .append(')');
      separator = "; ";
    }
    return message.length() <= MAX_MESSAGE_LENGTH
        ? message.toString()
        : message.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
  }
}
