package dev.sextant.tracespec;

import java.util.List;
import java.util.Map;

/**
 * What one attribute of a span must be. Values are typed as OTLP's (String, Boolean, Long, Double,
 * List, Map); numbers compare by value, so {@code 3} equals {@code 3.0}.
 */
public sealed interface AttributePredicate {

  /** Whether the attribute ({@code null}: not present) satisfies the predicate. */
  boolean test(Object actual, MatchBudget budget);

  /** The value equals {@code expected}. */
  record Equals(Object expected) implements AttributePredicate {
    @Override
    public boolean test(Object actual, MatchBudget budget) {
      return actual != null && Values.same(expected, actual);
    }

    @Override
    public String toString() {
      return "= " + Values.show(expected);
    }
  }

  /** The value's text form (strings as they are, numbers and booleans printed) matches. */
  record Matches(TextPattern pattern) implements AttributePredicate {
    @Override
    public boolean test(Object actual, MatchBudget budget) {
      String text = Values.text(actual);
      return text != null && pattern.matches(text, budget);
    }

    @Override
    public String toString() {
      return "matches " + pattern;
    }
  }

  /** The attribute is present, whatever its value. */
  record Exists() implements AttributePredicate {
    @Override
    public boolean test(Object actual, MatchBudget budget) {
      return actual != null;
    }

    @Override
    public String toString() {
      return "exists";
    }
  }

  /** The attribute is not present. */
  record Absent() implements AttributePredicate {
    @Override
    public boolean test(Object actual, MatchBudget budget) {
      return actual == null;
    }

    @Override
    public String toString() {
      return "absent";
    }
  }

  /** A number within {@code [min, max]}; a null bound is open. */
  record Range(Double min, Double max) implements AttributePredicate {
    @Override
    public boolean test(Object actual, MatchBudget budget) {
      if (!(actual instanceof Number n)) {
        return false;
      }
      double v = n.doubleValue();
      return (min == null || v >= min) && (max == null || v <= max);
    }

    @Override
    public String toString() {
      if (min != null && min.equals(max)) {
        return "= " + Values.show(min);
      }
      if (min != null && max != null) {
        return "within [" + Values.show(min) + ", " + Values.show(max) + "]";
      }
      return min != null ? ">= " + Values.show(min) : "<= " + Values.show(max);
    }
  }

  /** Value comparisons and text forms shared by predicates, reports and diffs. */
  final class Values {
    private Values() {}

    static boolean same(Object a, Object b) {
      if (a instanceof Number x && b instanceof Number y) {
        if (isIntegral(x) && isIntegral(y)) {
          return x.longValue() == y.longValue();
        }
        return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
      }
      if (a instanceof List<?> x && b instanceof List<?> y) {
        if (x.size() != y.size()) {
          return false;
        }
        for (int i = 0; i < x.size(); i++) {
          if (!same(x.get(i), y.get(i))) {
            return false;
          }
        }
        return true;
      }
      if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
        if (!x.keySet().equals(y.keySet())) {
          return false;
        }
        return x.entrySet().stream().allMatch(e -> same(e.getValue(), y.get(e.getKey())));
      }
      return a != null && a.equals(b);
    }

    private static boolean isIntegral(Number n) {
      return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    static String text(Object value) {
      if (value instanceof String s) {
        return s;
      }
      if (value instanceof Number || value instanceof Boolean) {
        return show(value);
      }
      return null;
    }

    /** Why {@code actual} fails {@code expected}: "attribute k = 3, expected >= 5". */
    static String mismatch(String what, String key, Object actual, AttributePredicate expected) {
      return what
          + " "
          + key
          + (actual == null ? " absent" : " = " + show(actual))
          + ", expected "
          + expected;
    }

    /** Predicates as labels show them: {@code {k = "v", n >= 1}}. */
    static String showPredicates(Map<String, AttributePredicate> predicates) {
      StringBuilder s = new StringBuilder("{");
      String sep = "";
      for (Map.Entry<String, AttributePredicate> e : predicates.entrySet()) {
        s.append(sep).append(e.getKey()).append(' ').append(e.getValue());
        sep = ", ";
      }
      return s.append('}').toString();
    }

    static String show(Object value) {
      if (value == null) {
        return "(absent)";
      }
      if (value instanceof String s) {
        String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        return '"' + shown.replace("\n", "\\n") + '"';
      }
      if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
        return Long.toString(d.longValue());
      }
      return String.valueOf(value);
    }
  }
}
