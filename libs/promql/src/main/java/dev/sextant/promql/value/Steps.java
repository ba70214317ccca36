package dev.sextant.promql.value;

/**
 * The evaluation times of a query or subquery: {@code start, start+interval, ... <= end}, in
 * milliseconds. An instant query is one step.
 */
public record Steps(long start, long end, long interval) {
  public Steps {
    if (end < start || interval <= 0) {
      throw new IllegalArgumentException("bad steps " + start + ".." + end + " by " + interval);
    }
  }

  public static Steps instant(long time) {
    return new Steps(time, time, 1);
  }

  public int count() {
    return (int) ((end - start) / interval) + 1;
  }

  public long time(int step) {
    return start + step * interval;
  }
}
