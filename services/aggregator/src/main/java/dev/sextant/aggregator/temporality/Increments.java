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
 * a restart; its next point contributes its increase).
 */
public final class Increments {
  private final int maxSources;
  private final long processStartNanos;
  private final LinkedHashMap<Source, MetricPoint> last = new LinkedHashMap<>(1024, 0.75f, true);

  /** A source series of a tenant. */
  public record Source(String tenant, long seriesId) {}

  public Increments(int maxSources, long processStartUnixNanos) {
    this.maxSources = maxSources;
    this.processStartNanos = processStartUnixNanos;
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
      return point.startTimeUnixNanos() >= processStartNanos ? point : null;
    }
    return PointMath.increase(previous, point);
  }
}
