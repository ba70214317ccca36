package dev.sextant.storage.query;

import dev.sextant.model.Labels;
import java.util.regex.Pattern;

/**
 * A PromQL label matcher. The metric name is the label {@code __name__}. Regular expressions are
 * fully anchored, as in Prometheus; a missing label matches like the empty string.
 */
public record LabelMatcher(String name, Type type, String value, Pattern pattern) {

  public static final String METRIC_NAME = "__name__";

  /** The four matcher operators. */
  public enum Type {
    EQUAL,
    NOT_EQUAL,
    REGEX,
    NOT_REGEX
  }

  public static LabelMatcher of(String name, Type type, String value) {
    Pattern pattern =
        switch (type) {
          case REGEX, NOT_REGEX -> Pattern.compile("^(?:" + value + ")$", Pattern.DOTALL);
          case EQUAL, NOT_EQUAL -> null;
        };
    return new LabelMatcher(name, type, value, pattern);
  }

  public static LabelMatcher equal(String name, String value) {
    return of(name, Type.EQUAL, value);
  }

  public boolean matches(String labelValue) {
    String v = labelValue == null ? "" : labelValue;
    return switch (type) {
      case EQUAL -> v.equals(value);
      case NOT_EQUAL -> !v.equals(value);
      case REGEX -> pattern.matcher(v).matches();
      case NOT_REGEX -> !pattern.matcher(v).matches();
    };
  }

  /** Whether a series with this metric name and these labels satisfies the matcher. */
  public boolean matches(String metricName, Labels labels) {
    return matches(METRIC_NAME.equals(name) ? metricName : labels.get(name));
  }
}
