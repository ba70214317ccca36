package dev.sextant.aggregator.temporality;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricWrite;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Turns delta sums and histograms into cumulative series: the stored value of a delta series at a
 * time is the sum of every delta up to it, and its start is the start of the first delta.
 *
 * <p>State per series is the running sum (the series' latest stored point). It survives restarts
 * through the store: a series without state in memory reads its latest point ({@code latestPoints})
 * before its next delta is added. Memory is bounded: the least recently used states beyond {@code
 * maxSeries} are dropped and read back when needed.
 *
 * <p>Batches are written concurrently, but a running sum must grow in commit order and must not
 * count a delta whose write failed. So a batch holds its delta series from the moment it is
 * admitted until its write completed: a later batch with one of the same series waits for it, and a
 * failed write puts the sums it touched back as they were. A write that times out is treated as
 * failed even though it might still commit; the sender's retry then rewrites the same sums.
 *
 * <p>Per point: a delta at the time of the running sum is a retry of one already counted and is
 * skipped (unless it is {@linkplain Delta#additive additive}); one earlier than the sum by at most
 * {@code lateTolerance} (another writer of the same series, a little behind) is added to the sum at
 * the sum's time, so nothing is lost; one later still is refused as out of order. Histograms whose
 * bounds changed restart the sum.
 */
public final class DeltaToCumulative {
  private final int maxSeries;
  private final long lateToleranceNanos;
  private final long idleNanos;
  private final LongSupplier clock;
  private final Object lock = new Object();

  /** Running sums, least recently used first, each with when it was last used. */
  private final LinkedHashMap<Key, Sum> sums = new LinkedHashMap<>(1024, 0.75f, true);

  private record Sum(MetricPoint point, long usedNanos) {}

  private final Map<Key, CompletableFuture<Void>> holders = new HashMap<>();

  /** Series held by a batch when {@link #forgetAll} ran: their sums go when the batch is done. */
  private final java.util.Set<Key> forgetOnRelease = new java.util.HashSet<>();

  /** A delta series of a tenant. */
  record Key(String tenant, long seriesId) {}

  /**
   * One delta point to turn into a cumulative one. An {@code additive} delta comes from
   * re-aggregation (several sources feeding one series): one at the time of the running sum is
   * added to it rather than taken for a retry.
   */
  public record Delta(MetricSeries series, MetricPoint point, boolean additive) {
    Key key() {
      return new Key(series.tenant(), series.id());
    }
  }

  /** What became of a batch's deltas: the points to store, and those refused. */
  public record Outcome(List<MetricWrite> writes, List<Delta> outOfOrder, int duplicates) {}

  /**
   * @param maxSeries running sums kept in memory at most
   * @param lateToleranceNanos how much older than its sum a delta may be and still be added
   * @param idleNanos a sum not used for this long is dropped from memory (the series stopped
   *     appearing); it is read back from the store if the series returns
   * @param clock monotonic nanoseconds
   */
  public DeltaToCumulative(
      int maxSeries, long lateToleranceNanos, long idleNanos, LongSupplier clock) {
    if (maxSeries < 1) {
      throw new IllegalArgumentException("maxSeries must be >= 1");
    }
    this.maxSeries = maxSeries;
    this.lateToleranceNanos = lateToleranceNanos;
    this.idleNanos = idleNanos;
    this.clock = clock;
  }

  /**
   * Converts one batch's deltas and writes them with {@code write}, which receives the cumulative
   * points (to store with the batch's other points) and completes once the store committed. The
   * returned Uni completes as {@code write} does, after the running sums were kept or rolled back.
   *
   * @param latest reads the latest stored points of series without state (tenant, series ids)
   */
  public <T> Uni<T> run(
      List<Delta> deltas,
      BiFunction<String, Collection<Long>, Uni<Map<Long, MetricPoint>>> latest,
      Function<Outcome, Uni<T>> write) {
    // The series are taken on subscription, so an unsubscribed Uni holds nothing.
    return Uni.createFrom().deferred(() -> held(deltas, latest, write));
  }

  private <T> Uni<T> held(
      List<Delta> deltas,
      BiFunction<String, Collection<Long>, Uni<Map<Long, MetricPoint>>> latest,
      Function<Outcome, Uni<T>> write) {
    CompletableFuture<Void> held = new CompletableFuture<>();
    List<CompletableFuture<Void>> predecessors = hold(deltas, held);
    return Uni.createFrom()
        .completionStage(
            CompletableFuture.allOf(predecessors.toArray(CompletableFuture[]::new))
                .exceptionally(ignored -> null))
        .chain(() -> load(deltas, latest))
        .map(ignored -> convert(deltas))
        .chain(
            applied ->
                Uni.createFrom()
                    .deferred(() -> write.apply(applied.outcome))
                    .onFailure()
                    .invoke(failure -> rollBack(applied.before)))
        .onTermination()
        .invoke(() -> release(deltas, held));
  }

  /** Takes the batch's series; returns the batches still holding any of them. */
  private List<CompletableFuture<Void>> hold(List<Delta> deltas, CompletableFuture<Void> held) {
    List<CompletableFuture<Void>> predecessors = new ArrayList<>();
    synchronized (lock) {
      for (Delta delta : deltas) {
        CompletableFuture<Void> previous = holders.put(delta.key(), held);
        if (previous != null && previous != held) {
          predecessors.add(previous);
        }
      }
    }
    return predecessors;
  }

  private void release(List<Delta> deltas, CompletableFuture<Void> held) {
    synchronized (lock) {
      for (Delta delta : deltas) {
        if (holders.remove(delta.key(), held) && forgetOnRelease.remove(delta.key())) {
          sums.remove(delta.key());
        }
      }
    }
    held.complete(null);
  }

  /** Reads the latest stored points of the batch's series that have no state in memory. */
  private Uni<Void> load(
      List<Delta> deltas,
      BiFunction<String, Collection<Long>, Uni<Map<Long, MetricPoint>>> latest) {
    Map<String, List<Long>> missing = new HashMap<>();
    synchronized (lock) {
      for (Delta delta : deltas) {
        Key key = delta.key();
        if (!sums.containsKey(key)) {
          List<Long> ids = missing.computeIfAbsent(key.tenant(), t -> new ArrayList<>());
          if (!ids.contains(key.seriesId())) {
            ids.add(key.seriesId());
          }
        }
      }
    }
    List<Uni<Void>> reads = new ArrayList<>();
    missing.forEach(
        (tenant, ids) ->
            reads.add(
                latest
                    .apply(tenant, ids)
                    .invoke(
                        found -> {
                          synchronized (lock) {
                            long now = clock.getAsLong();
                            found.forEach(
                                (id, point) ->
                                    sums.putIfAbsent(new Key(tenant, id), new Sum(point, now)));
                          }
                        })
                    .replaceWithVoid()));
    return reads.isEmpty()
        ? Uni.createFrom().voidItem()
        : Uni.join().all(reads).andFailFast().replaceWithVoid();
  }

  /** The outcome and, for a rollback, each touched series' sum before (null: had none). */
  private record Applied(Outcome outcome, Map<Key, MetricPoint> before) {}

  private Applied convert(List<Delta> deltas) {
    long now = clock.getAsLong();
    List<Delta> ordered = new ArrayList<>(deltas);
    ordered.sort(Comparator.comparingLong(d -> d.point().timeUnixNanos()));
    Map<Key, MetricPoint> before = new HashMap<>();
    List<MetricWrite> writes = new ArrayList<>();
    List<Delta> outOfOrder = new ArrayList<>();
    int duplicates = 0;
    synchronized (lock) {
      for (Delta delta : ordered) {
        Key key = delta.key();
        Sum held = sums.get(key);
        MetricPoint sum = held == null ? null : held.point();
        if (!before.containsKey(key)) {
          before.put(key, sum);
        }
        MetricPoint point = delta.point();
        MetricPoint next;
        if (sum == null) {
          long start =
              point.startTimeUnixNanos() != 0 ? point.startTimeUnixNanos() : point.timeUnixNanos();
          next = PointMath.retime(point, start, point.timeUnixNanos());
        } else if (point.timeUnixNanos() == sum.timeUnixNanos() && !delta.additive()) {
          duplicates++;
          continue;
        } else if (point.timeUnixNanos() <= sum.timeUnixNanos()) {
          if (sum.timeUnixNanos() - point.timeUnixNanos() > lateToleranceNanos) {
            outOfOrder.add(delta);
            continue;
          }
          MetricPoint added = PointMath.add(sum, point);
          next =
              added == null
                  ? null
                  : PointMath.retime(added, sum.startTimeUnixNanos(), sum.timeUnixNanos());
          if (next == null) {
            outOfOrder.add(delta);
            continue;
          }
        } else {
          next = PointMath.add(sum, point);
          if (next == null) {
            // Histogram bounds changed: the running sum restarts with this delta.
            next = PointMath.retime(point, point.startTimeUnixNanos(), point.timeUnixNanos());
          }
        }
        sums.put(key, new Sum(next, now));
        // In time order: a late delta folded into the sum rewrites the point at the sum's time
        // after the one written before it, and the store keeps the later of the two.
        writes.add(new MetricWrite(delta.series(), next));
      }
      evict(now);
    }
    return new Applied(new Outcome(List.copyOf(writes), outOfOrder, duplicates), before);
  }

  private void rollBack(Map<Key, MetricPoint> before) {
    synchronized (lock) {
      before.forEach(
          (key, sum) -> {
            if (sum == null) {
              sums.remove(key);
            } else {
              sums.put(key, new Sum(sum, clock.getAsLong()));
            }
          });
    }
  }

  /**
   * Drops the sums idle too long and the least recently used beyond the bound; series still held by
   * a batch keep theirs.
   */
  private void evict(long now) {
    var each = sums.entrySet().iterator();
    while (each.hasNext()) {
      Map.Entry<Key, Sum> eldest = each.next();
      boolean idle = now - eldest.getValue().usedNanos() >= idleNanos;
      if (!idle && sums.size() <= maxSeries) {
        return;
      }
      if (!holders.containsKey(eldest.getKey())) {
        each.remove();
      }
    }
  }

  /**
   * Drops every running sum, so that each series is read again from the store before its next
   * delta: after a shard change, when another aggregator may have written series this one summed
   * before (ADR 0014). A sum held by a batch in flight goes when that batch is done.
   */
  public void forgetAll() {
    synchronized (lock) {
      sums.keySet().removeIf(key -> !holders.containsKey(key));
      forgetOnRelease.addAll(holders.keySet());
    }
  }

  /** Series with a running sum in memory (for the self-metrics). */
  public int size() {
    synchronized (lock) {
      return sums.size();
    }
  }
}
