package dev.sextant.aggregator;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Points of one batch counted by reason, with the first message of each reason: enough for the
 * sender to name the problem to its client without an unbounded message. Used for rejections and
 * for guardrail hits alike.
 */
public final class Tally<E extends Enum<E>> {
  private static final int MAX_MESSAGE_LENGTH = 1024;

  private final String verb;
  private final Function<E, String> tag;
  private final Map<E, Integer> counts;
  private final Map<E, String> firstMessages;
  private int total;

  /**
   * @param verb what happened to the points, for the message ("rejected", "rerouted")
   */
  public Tally(Class<E> reasons, String verb, Function<E, String> tag) {
    this.verb = verb;
    this.tag = tag;
    this.counts = new EnumMap<>(reasons);
    this.firstMessages = new EnumMap<>(reasons);
  }

  public void add(E reason, String message) {
    counts.merge(reason, 1, Integer::sum);
    firstMessages.putIfAbsent(reason, message);
    total++;
  }

  public int total() {
    return total;
  }

  public Map<E, Integer> counts() {
    return counts;
  }

  /** For example {@code 3 points rejected: nan_value x2 (metric 'cpu': value is NaN); ...}. */
  public String message() {
    if (total == 0) {
      return "";
    }
    StringBuilder message =
        new StringBuilder().append(total).append(total == 1 ? " point " : " points ");
    message.append(verb).append(": ");
    String separator = "";
    for (Map.Entry<E, Integer> entry : counts.entrySet()) {
      message
          .append(separator)
          .append(tag.apply(entry.getKey()))
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
