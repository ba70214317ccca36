package dev.sextant.aggregator.temporality;

import dev.sextant.model.MetricPoint;
import java.util.LinkedHashMap;

/**
 * What a cumulative series added since its previous point, for re-aggregation: a point that the
 * guardrails send to another series must add its increase there, not its running total. Keeps the
 * last point of each source series (bounded, least recently used dropped).
 *
 * <p>A source seen for the first time contributes its whole value if it started after this process
 * did (a new series: it counted from zero), and nothing otherwise (it may have been counted before
 * a restart; its next point contributes its increase). After a change of the aggregator shards the
 * same holds from the end of the hand-over ({@link #forgetAll}): another shard may have counted a
 * source until then.
 */
public final class Increments {
  private final int maxSources;
  private long countFromNanos;
  private final LinkedHashMap<Source, MetricPoint> last = new LinkedHashMap<>(1024, 0.75f, true);

  /** A source series of a tenant. */
  public record Source(String tenant, long seriesId) {}

  /**
   * @param countFromUnixNanos a source first seen here contributes its whole value only if it
   *     started at or after this time (the process start, or later: see {@link #forgetAll})
   */
  public Increments(int maxSources, long countFromUnixNanos) {
    this.maxSources = maxSources;
    this.countFromNanos = countFromUnixNanos;
  }

  /**
   * Drops every source's last point, after a shard change (ADR 0014): a source that comes back may
   * have been counted by another shard meanwhile, so its next point here is a first sight again (a
   * base for the increases after it), and contributes its whole value only if the source started at
   * or after {@code countFromUnixNanos}, when no other shard can have counted it.
   */
  public synchronized void forgetAll(long countFromUnixNanos) {
    last.clear();
    countFromNanos = Math.max(countFromNanos, countFromUnixNanos);
  }

  /**
   * The increase of {@code source} up to {@code point} as a delta point, or null when there is none
   * to add (a first sight of an older series, or a point not newer than the last one).
   */
  public synchronized MetricPoint increase(Source source, MetricPoint point) {
    MetricPoint previous = last.get(source);
    if (previous != null && point.timeUnixNanos() <= previous.timeUnixNanos()) {
      return null;
    }
    last.put(source, point);
    if (last.size() > maxSources) {
      last.pollFirstEntry();
    }
    if (previous == null) {
      return point.startTimeUnixNanos() >= countFromNanos ? point : null;
    }
    return PointMath.increase(previous, point);
  }
}
