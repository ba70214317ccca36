package dev.sextant.tracespec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logs the trace should have emitted (records carrying its trace id): an exact {@code level} or a
 * {@code minLevel}, a {@code message} pattern over the body text, {@code attributes} (record, then
 * resource), and {@code span}: null (not checked), {@link #ANY_SPAN} (linked to some span of this
 * trace), or the {@code id} of a span matcher whose fields and children the linked span must fit.
 * {@code count} is how many records must satisfy all of it (default {@code "1.."}; {@code 0}
 * forbids). Records no expectation names are never a failure.
 */
public record LogExpectation(
    LogLevel level,
    LogLevel minLevel,
    TextPattern message,
    Map<String, AttributePredicate> attributes,
    String span,
    CountRange count) {

  /** {@code span: "*"}: linked to any span of this trace. */
  public static final String ANY_SPAN = "*";

  public LogExpectation {
    attributes =
        attributes == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    count = count == null ? CountRange.atLeast(1) : count;
  }

  /** One line that says what this expectation asks, for reports. */
  public String label() {
    StringBuilder s = new StringBuilder();
    s.append(level != null ? level.name() : minLevel != null ? minLevel + "+" : "any level");
    if (message != null) {
      s.append(' ').append(message.kind() == TextPattern.Kind.GLOB ? message.source() : message);
    }
    if (!attributes.isEmpty()) {
      s.append(" ").append(AttributePredicate.Values.showPredicates(attributes));
    }
    if (span != null) {
      s.append(" span=").append(span);
    }
    if (!count.equals(CountRange.atLeast(1))) {
      s.append(" x").append(count);
    }
    return s.toString();
  }
}
