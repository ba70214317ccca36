package dev.sextant.tracespec;

/**
 * How many sibling spans one matcher stands for: {@code min..max}, {@code max} being {@link
 * #UNBOUNDED} for "at least". Written {@code 2} (exactly), {@code "1.."} (at least one), {@code
 * "0..1"} (optional), {@code "..3"}, {@code "2..5"} or {@code 0} (forbidden).
 */
public record CountRange(int min, int max) {
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  /** Largest count written in a spec. */
  static final int MAX_COUNT = 100_000;

  public static final CountRange ONE = new CountRange(1, 1);

  public CountRange {
    if (min < 0 || max < min) {
      throw new IllegalArgumentException("count range " + min + ".." + max);
    }
  }

  public static CountRange exactly(int n) {
    return new CountRange(n, n);
  }

  public static CountRange atLeast(int n) {
    return new CountRange(n, UNBOUNDED);
  }

  static CountRange parse(String path, String text) {
    String t = text.strip();
    int dots = t.indexOf("..");
    try {
      if (dots < 0) {
        int n = bounded(path, Integer.parseInt(t));
        return exactly(n);
      }
      String lo = t.substring(0, dots).strip();
      String hi = t.substring(dots + 2).strip();
      int min = lo.isEmpty() ? 0 : bounded(path, Integer.parseInt(lo));
      int max = hi.isEmpty() ? UNBOUNDED : bounded(path, Integer.parseInt(hi));
      if (max < min) {
        throw TraceSpecException.invalid(
            path, "count " + text + " has its maximum below its minimum");
      }
      return new CountRange(min, max);
    } catch (NumberFormatException e) {
      throw TraceSpecException.invalid(
          path,
          "count must be a whole number or a range like \"1..\", \"0..1\", \"2..5\", got \""
              + text
              + '"');
    }
  }

  private static int bounded(String path, int n) {
    if (n < 0 || n > MAX_COUNT) {
      throw TraceSpecException.invalid(path, "count must be within 0.." + MAX_COUNT + ", got " + n);
    }
    return n;
  }

  boolean allows(int n) {
    return n >= min && n <= max;
  }

  @Override
  public String toString() {
    if (min == max) {
      return Integer.toString(min);
    }
    if (min == 0 && max == UNBOUNDED) {
      return "0..";
    }
    return (min == 0 ? "" : Integer.toString(min)) + ".." + (max == UNBOUNDED ? "" : max);
  }
}
