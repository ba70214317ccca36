package dev.sextant.storage.query;

import dev.sextant.model.MetricEvent;
import dev.sextant.storage.rollup.ExactSum;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The totals of one bucket and group of metric events ({@link EventAggregation}); every aggregation
 * Mastra's OLAP routes offer is made of them. Defined so that any store can compute them where the
 * events are and give the same answer bit for bit, whatever order it visits the events in (values
 * and costs are finite: {@link MetricEvent} refuses others):
 *
 * @param bucket the bucket's start ({@link EventAggregation#bucket})
 * @param group the values of the group keys, in order (null where absent)
 * @param count how many events
 * @param sum the exact sum of their values (rounded once when read)
 * @param min the least value, -0.0 below 0.0 (as {@link Math#min})
 * @param max the greatest value, 0.0 above -0.0
 * @param last the value of the newest event; of several equally new, the one whose id is least as
 *     UTF-8 bytes
 * @param distinct how many distinct non-null values the distinct key has
 * @param cost the exact sum of the estimated costs of the events that have one; null when none has
 * @param costUnits the distinct non-empty units of those costs, sorted
 */
public record EventTotals(
    long bucket,
    List<String> group,
    long count,
    ExactSum sum,
    double min,
    double max,
    double last,
    long distinct,
    ExactSum cost,
    Set<String> costUnits) {

  /** Groups by their values in order, absent ones first. */
  public static final Comparator<List<String>> GROUP_ORDER = EventTotals::compareGroups;

  /** Bucket first, then group. */
  public static final Comparator<EventTotals> ORDER =
      Comparator.comparingLong(EventTotals::bucket).thenComparing(EventTotals::group, GROUP_ORDER);

  public EventTotals {
    group = Collections.unmodifiableList(new ArrayList<>(group));
    costUnits = Collections.unmodifiableSet(new TreeSet<>(costUnits));
  }

  /** The mean of the values: the exact sum rounded, divided by the count. */
  public double average() {
    return sum.value() / count;
  }

  /**
   * The reference: totals of the given events (already selected; see {@link
   * EventAggregation#selects}) per bucket and group of the aggregation, ordered by {@link #ORDER}.
   */
  public static List<EventTotals> of(List<MetricEvent> events, EventAggregation aggregation) {
    Accumulator totals = new Accumulator(aggregation);
    events.forEach(totals::add);
    return totals.totals();
  }

  /**
   * The reference, event by event, for a store that visits more events than it could hold: keeps
   * one cell per bucket and group, and refuses more than {@link EventAggregation#MAX_ROWS} of them.
   * Not thread-safe.
   */
  public static final class Accumulator {
    private final EventAggregation aggregation;
    private final Map<Long, Map<List<String>, Builder>> cells = new HashMap<>();
    private int size;

    public Accumulator(EventAggregation aggregation) {
      this.aggregation = aggregation;
    }

    /** Counts an event the aggregation selects. */
    public void add(MetricEvent e) {
      List<String> group = group(e, aggregation.groupBy());
      if (group == null) {
        return;
      }
      Map<List<String>, Builder> groups =
          cells.computeIfAbsent(aggregation.bucket(e.timeUnixNanos()), b -> new HashMap<>());
      Builder cell = groups.get(group);
      if (cell == null) {
        EventAggregation.checkRows(++size);
        cell = new Builder();
        groups.put(group, cell);
      }
      cell.add(e, aggregation.distinctKey());
    }

    /** The totals so far, ordered by {@link #ORDER}. */
    public List<EventTotals> totals() {
      List<EventTotals> totals = new ArrayList<>(size);
      cells.forEach((bucket, groups) -> groups.forEach((g, b) -> totals.add(b.build(bucket, g))));
      totals.sort(ORDER);
      return totals;
    }
  }

  /** The event's values of the keys, or null when it lacks a label among them. */
  private static List<String> group(MetricEvent e, List<String> keys) {
    List<String> values = new ArrayList<>(keys.size());
    for (String key : keys) {
      String value = EventKeys.value(e, key);
      if (value == null && EventKeys.isLabel(key)) {
        return null;
      }
      values.add(value);
    }
    return values;
  }

  private static int compareGroups(List<String> a, List<String> b) {
    Comparator<String> values = Comparator.nullsFirst(Comparator.naturalOrder());
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = values.compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** Totals of one bucket and group, built event by event. */
  private static final class Builder {
    private final ExactSum.Accumulator sum = new ExactSum.Accumulator();
    private ExactSum.Accumulator cost;
    private final Set<String> units = new HashSet<>();
    private final Set<String> distinct = new HashSet<>();
    private long count;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private MetricEvent last;

    void add(MetricEvent e, String distinctKey) {
      double v = e.value();
      count++;
      sum.add(v);
      min = Double.compare(v, min) < 0 ? v : min;
      max = Double.compare(v, max) > 0 ? v : max;
      if (last == null
          || e.timeUnixNanos() > last.timeUnixNanos()
          || (e.timeUnixNanos() == last.timeUnixNanos() && lessId(e.id(), last.id()))) {
        last = e;
      }
      String d = EventKeys.value(e, distinctKey);
      if (d != null) {
        distinct.add(d);
      }
      Double c = e.cost().estimatedCost();
      if (c != null) {
        if (cost == null) {
          cost = new ExactSum.Accumulator();
        }
        cost.add(c);
        if (!e.cost().unit().isEmpty()) {
          units.add(e.cost().unit());
        }
      }
    }

    EventTotals build(long bucket, List<String> group) {
      return new EventTotals(
          bucket,
          group,
          count,
          sum.toSum(),
          min,
          max,
          last.value(),
          distinct.size(),
          cost == null ? null : cost.toSum(),
          units);
    }

    private static boolean lessId(String a, String b) {
      return Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8))
          < 0;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventTotals t
        && bucket == t.bucket
        && group.equals(t.group)
        && count == t.count
        && Double.compare(sum.value(), t.sum.value()) == 0
        && Double.compare(min, t.min) == 0
        && Double.compare(max, t.max) == 0
        && Double.compare(last, t.last) == 0
        && distinct == t.distinct
        && Objects.equals(cost, t.cost)
        && costUnits.equals(t.costUnits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucket, group, count, sum, min, max, last, distinct, cost, costUnits);
  }
}
