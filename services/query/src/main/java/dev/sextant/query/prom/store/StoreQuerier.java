package dev.sextant.query.prom.store;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.promql.engine.PromQLException;
import dev.sextant.promql.storage.Querier;
import dev.sextant.promql.storage.SelectHints;
import dev.sextant.promql.storage.Series;
import dev.sextant.promql.storage.SeriesSet;
import dev.sextant.query.prom.names.ExposedSeries;
import dev.sextant.query.prom.names.ExposedSeries.Component;
import dev.sextant.query.prom.names.MetricNames;
import dev.sextant.storage.CallerReads;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesPoints;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.StepSampling;
import dev.sextant.storage.query.TimeRange;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The PromQL engine's view of one tenant's metric store, through the OTLP → Prometheus translation
 * ({@link ExposedSeries}). Matchers are about Prometheus names, which the store does not know, so
 * only the metric name narrows the read: an equality on {@code __name__} picks the stored names
 * that may be exposed under it ({@link MetricNames#mayExposeAs}); every matcher is then applied to
 * the translated labels, first before any point is read (per component: a selector on {@code
 * x_count} reads no buckets), and again on the built series. A selector's series come with their
 * points, in one read per stored name ({@link MetricStore#seriesPoints}). Stored names that may be
 * exposed under a Prometheus name come from a {@link MetricNameCatalog}; the name itself is always
 * read directly.
 *
 * <p>Synchronous, as the engine wants: it blocks its (worker) thread on the store, never longer
 * than the query's deadline, except that a read the store runs on this very thread ({@link
 * CallerReads}) finishes before the deadline is looked at again. On an event loop trying a small
 * query first, it never blocks: see {@link #await}.
 */
public final class StoreQuerier implements Querier {
  /** The engine's hint for reads that need labels only (the series and label APIs). */
  public static final String LABELS_ONLY = "series";

  /**
   * Series per read of many: one read holds a store reader for its whole length, so a selector of
   * many thousand series is read in several, letting other queries' reads in between.
   */
  static final int SERIES_PER_READ = 1000;

  private final MetricStore store;
  private final MetricNameCatalog names;
  private final String tenant;
  private final long deadlineNanos;

  public StoreQuerier(
      MetricStore store, MetricNameCatalog names, String tenant, long deadlineNanos) {
    this.store = store;
    this.names = names;
    this.tenant = tenant;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public SeriesSet select(SelectHints hints, List<LabelMatcher> matchers) {
    TimeRange range = nanos(hints.startMs(), hints.endMs());
    List<Series> out = new ArrayList<>();
    if (LABELS_ONLY.equals(hints.function())) {
      selectLabels(matchers, range, out);
    } else {
      // Series and points in one read per stored name: a series without points in the range
      // yields no float series, so the store need not prove it has one first.
      StepSampling sampling = hints.sampling();
      for (String name : candidateNames(matchers)) {
        List<SeriesPoints> read =
            await(
                store.seriesPoints(
                    named(name, range),
                    sampling,
                    stored -> !wantedComponents(ExposedSeries.of(stored), matchers).isEmpty()));
        for (SeriesPoints sp : read) {
          ExposedSeries exposed = ExposedSeries.of(sp.series());
          expand(exposed, sp.points(), wantedComponents(exposed, matchers), matchers, out);
        }
      }
    }
    return SeriesSet.of(SeriesMerge.sortedUnique(out));
  }

  /**
   * The series and label APIs: every series with a point in the range, with labels only; a
   * component whose labels come from its points ({@code le}, {@code quantile}) reads them.
   */
  private void selectLabels(List<LabelMatcher> matchers, TimeRange range, List<Series> out) {
    List<Selected> selected = new ArrayList<>();
    for (MetricSeries stored : candidates(matchers, range)) {
      ExposedSeries exposed = ExposedSeries.of(stored);
      Set<Component> wanted = wantedComponents(exposed, matchers);
      if (!wanted.isEmpty()) {
        selected.add(new Selected(stored.id(), exposed, wanted));
      }
    }
    Map<Long, List<MetricPoint>> points = readPoints(selected, range);
    for (Selected s : selected) {
      if (s.wanted.equals(EnumSet.of(Component.VALUE))) {
        out.add(Series.of(s.exposed.labels(Component.VALUE, null), new long[0], new double[0]));
      } else {
        expand(s.exposed, points.getOrDefault(s.id, List.of()), s.wanted, matchers, out);
      }
    }
  }

  /** The float series of a stored series' points that satisfy every matcher. */
  private static void expand(
      ExposedSeries exposed,
      List<MetricPoint> points,
      Set<Component> wanted,
      List<LabelMatcher> matchers,
      List<Series> out) {
    for (Series series : PointExpansion.expand(exposed, points, wanted)) {
      if (matchesAll(series.labels(), matchers)) {
        out.add(series);
      }
    }
  }

  @Override
  public List<String> labelNames(long startMs, long endMs, List<LabelMatcher> matchers) {
    TreeSet<String> names = new TreeSet<>();
    forEachLabels(startMs, endMs, matchers, labels -> names.addAll(labels.asMap().keySet()));
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(
      String name, long startMs, long endMs, List<LabelMatcher> matchers) {
    TreeSet<String> values = new TreeSet<>();
    forEachLabels(
        startMs,
        endMs,
        matchers,
        labels -> {
          String v = labels.asMap().get(name);
          if (v != null) {
            values.add(v);
          }
        });
    return List.copyOf(values);
  }

  /** Every series' labels: all series of the range when there are no matchers. */
  private void forEachLabels(
      long startMs,
      long endMs,
      List<LabelMatcher> matchers,
      java.util.function.Consumer<Labels> c) {
    SelectHints hints = new SelectHints(startMs, endMs, 0, 0, 0, LABELS_ONLY, List.of(), false);
    try (SeriesSet set = select(hints, matchers)) {
      while (set.hasNext()) {
        c.accept(set.next().labels());
      }
    }
  }

  /** A series to read; its id is kept because computing it hashes the whole identity. */
  private record Selected(long id, ExposedSeries exposed, Set<Component> wanted) {}

  /** The stored series that may match: by candidate names when the name is given exactly. */
  private List<MetricSeries> candidates(List<LabelMatcher> matchers, TimeRange range) {
    List<MetricSeries> out = new ArrayList<>();
    for (String name : candidateNames(matchers)) {
      out.addAll(await(store.series(named(name, range))));
    }
    return out;
  }

  /** The tenant's series of a stored name (of every name when null) in the range. */
  private SeriesQuery named(String name, TimeRange range) {
    List<LabelMatcher> byName =
        name == null ? List.of() : List.of(LabelMatcher.equal(LabelMatcher.METRIC_NAME, name));
    return new SeriesQuery(tenant, byName, range);
  }

  /**
   * The stored names to read for the matchers: with an equality on {@code __name__}, the name
   * itself (untranslated series are always read) and the catalog's names that may be exposed under
   * it; otherwise null, every name.
   */
  private List<String> candidateNames(List<LabelMatcher> matchers) {
    String promName = null;
    for (LabelMatcher m : matchers) {
      if (m.name().equals(LabelMatcher.METRIC_NAME) && m.type() == LabelMatcher.Type.EQUAL) {
        promName = m.value();
      }
    }
    if (promName == null) {
      return Collections.singletonList(null);
    }
    List<String> names = new ArrayList<>();
    names.add(promName);
    for (String name : await(this.names.names(tenant))) {
      if (!name.equals(promName) && MetricNames.mayExposeAs(name, promName)) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * The components of a series that can satisfy every matcher, judged on the labels known before
   * reading points: a matcher on a label the points add ({@code le}, {@code quantile}) waits.
   */
  private static Set<Component> wantedComponents(
      ExposedSeries exposed, List<LabelMatcher> matchers) {
    Set<Component> wanted = EnumSet.noneOf(Component.class);
    Map<String, String> base = exposed.labels().asMap();
    for (Component c : exposed.components()) {
      String name = c.name(exposed.family());
      boolean ok = true;
      for (LabelMatcher m : matchers) {
        if (m.name().equals(c.pointLabel())) {
          continue;
        }
        String value = m.name().equals(LabelMatcher.METRIC_NAME) ? name : base.get(m.name());
        if (!m.matches(value)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        wanted.add(c);
      }
    }
    return wanted;
  }

  private static boolean matchesAll(Labels labels, List<LabelMatcher> matchers) {
    Map<String, String> map = labels.asMap();
    for (LabelMatcher m : matchers) {
      if (!m.matches(map.get(m.name()))) {
        return false;
      }
    }
    return true;
  }

  /** Points of the selected series that have a point label, in reads of many series. */
  private Map<Long, List<MetricPoint>> readPoints(List<Selected> selected, TimeRange range) {
    List<Long> toRead = new ArrayList<>();
    for (Selected s : selected) {
      if (!s.wanted.equals(EnumSet.of(Component.VALUE))) {
        toRead.add(s.id);
      }
    }
    if (toRead.isEmpty()) {
      return Map.of();
    }
    Map<Long, List<MetricPoint>> points = new java.util.HashMap<>();
    for (int from = 0; from < toRead.size(); from += SERIES_PER_READ) {
      List<Long> chunk = toRead.subList(from, Math.min(toRead.size(), from + SERIES_PER_READ));
      points.putAll(await(store.points(tenant, chunk, range)));
    }
    return points;
  }

  /**
   * Waits for a store read on this (worker) thread, at most until the query's deadline. On a thread
   * that must not wait ({@link CallerReads#runWithin}) the read must complete on subscription;
   * otherwise the query is abandoned here, to be run again on a worker.
   */
  public <T> T await(Uni<T> uni) {
    if (CallerReads.mustNotWait()) {
      return completedAtOnce(uni);
    }
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw timedOut();
    }
    try {
      return uni.await().atMost(Duration.ofNanos(left));
    } catch (io.smallrye.mutiny.TimeoutException e) {
      throw timedOut();
    } catch (CompletionException e) {
      if (e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new PromQLException(
            PromQLException.Type.CANCELED, "query was canceled in query execution");
      }
      throw e;
    }
  }

  private static <T> T completedAtOnce(Uni<T> uni) {
    CompletableFuture<T> read = uni.subscribeAsCompletionStage();
    if (!read.isDone()) {
      read.cancel(false);
      throw CallerReads.Abandoned.get();
    }
    T result;
    try {
      result = read.join();
    } catch (CompletionException e) {
      // As Uni.await() would: the read's own exception when unchecked.
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
    CallerReads.checkBudget();
    return result;
  }

  private static PromQLException timedOut() {
    return new PromQLException(PromQLException.Type.TIMEOUT, "query timed out in query execution");
  }

  /** Inclusive milliseconds as the store's half-open nanoseconds. */
  static TimeRange nanos(long startMs, long endMs) {
    long start = clampToNanos(startMs);
    long end = clampToNanos(endMs == Long.MAX_VALUE ? endMs : endMs + 1);
    return new TimeRange(Math.max(0, start), Math.max(Math.max(0, start), end));
  }

  private static long clampToNanos(long ms) {
    if (ms >= Long.MAX_VALUE / 1_000_000L) {
      return Long.MAX_VALUE;
    }
    if (ms <= Long.MIN_VALUE / 1_000_000L) {
      return Long.MIN_VALUE;
    }
    return ms * 1_000_000L;
  }
}
