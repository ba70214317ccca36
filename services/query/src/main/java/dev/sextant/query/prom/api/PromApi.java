package dev.sextant.query.prom.api;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.promql.engine.Engine;
import dev.sextant.promql.engine.EngineOptions;
import dev.sextant.promql.engine.PromQLException;
import dev.sextant.promql.parser.Expr;
import dev.sextant.promql.parser.ParseException;
import dev.sextant.promql.parser.Parser;
import dev.sextant.promql.storage.SelectHints;
import dev.sextant.promql.storage.Series;
import dev.sextant.promql.storage.SeriesSet;
import dev.sextant.promql.value.GoFormat;
import dev.sextant.promql.value.LabelSets;
import dev.sextant.query.QueryConfig;
import dev.sextant.query.core.NowSource;
import dev.sextant.query.prom.names.MetricNames;
import dev.sextant.query.prom.store.MetricNameCatalog;
import dev.sextant.query.prom.store.StoreQuerier;
import dev.sextant.storage.CallerReads;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Prometheus HTTP API's reads for one tenant, with Prometheus 2.42's parameters, checks and
 * error texts. Everything runs on the {@link QueryExecutor}'s threads, including parsing, since the
 * engine and its querier block on the store; instant and range queries are first tried on the event
 * loop within a small budget ({@link QueryExecutor#runSmallHere}), which the engine's checkpoint
 * and the querier enforce. Answers are the finished JSON text.
 */
@ApplicationScoped
public class PromApi {
  /** Prometheus's limit on a range query's points per series. */
  static final long MAX_POINTS = 11_000;

  private final MetricStore store;
  private final QueryConfig.Promql config;
  private final QueryExecutor executor;
  private final NowSource now;
  private final EngineOptions defaults;
  private final MetricNameCatalog names;

  @Inject
  public PromApi(
      StorageComponent storage, QueryConfig config, QueryExecutor executor, NowSource now) {
    this.store = storage.metrics();
    this.config = config.promql();
    this.executor = executor;
    this.now = now;
    this.defaults =
        EngineOptions.DEFAULTS
            .withLookbackDelta(this.config.lookbackDelta().toMillis())
            .withMaxSamples(this.config.maxSamples())
            .withTimeout(this.config.timeout())
            // Gives up a query tried on an event loop once its budget is spent.
            .withCheckpoint(CallerReads::checkBudget);
    this.names =
        new MetricNameCatalog(store, this.config.nameListingMaxAge().toNanos(), System::nanoTime);
  }

  Uni<String> query(String tenant, PromParams p) {
    long nowMs = nowMillis();
    return executor.runSmallHere(
        store,
        () -> {
          long time = p.time("time", nowMs);
          Engine engine = engine(p);
          Expr expr = parse(p.get("query"));
          return PromJson.success(engine.instantQuery(querier(tenant, engine), expr, time));
        });
  }

  Uni<String> queryRange(String tenant, PromParams p) {
    return executor.runSmallHere(
        store,
        () -> {
          long start = p.requiredTime("start");
          long end = p.requiredTime("end");
          if (end < start) {
            throw PromParams.invalid("end", "end timestamp must not be before start time");
          }
          long step = p.duration("step");
          if (step <= 0) {
            throw PromParams.invalid(
                "step",
                "zero or negative query resolution step widths are not accepted. Try a positive"
                    + " integer");
          }
          if ((end - start) / step > MAX_POINTS) {
            throw new PromQLException(
                PromQLException.Type.BAD_DATA,
                "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the"
                    + " query resolution (?step=XX)");
          }
          Engine engine = engine(p);
          Expr expr = parse(p.get("query"));
          try {
            return PromJson.success(
                engine.rangeQuery(querier(tenant, engine), expr, start, end, step));
          } catch (PromQLException e) {
            throw e.type() == PromQLException.Type.BAD_DATA
                ? PromParams.invalid("query", e.getMessage())
                : e;
          }
        });
  }

  Uni<String> series(String tenant, PromParams p) {
    return executor.run(
        () -> {
          List<String> match = p.all("match[]");
          if (match.isEmpty()) {
            throw new PromQLException(
                PromQLException.Type.BAD_DATA, "no match[] parameter provided");
          }
          long start = p.time("start", PromTime.MIN_MS);
          long end = p.time("end", PromTime.MAX_MS);
          List<List<LabelMatcher>> sets = matcherSets(match, "match[]");
          StoreQuerier querier = querier(tenant, engine(p));
          TreeMap<String, Labels> found = new TreeMap<>();
          List<Labels> ordered = new ArrayList<>();
          for (List<LabelMatcher> set : sets) {
            SelectHints hints =
                new SelectHints(start, end, 0, 0, 0, StoreQuerier.LABELS_ONLY, List.of(), false);
            try (SeriesSet selected = querier.select(hints, set)) {
              while (selected.hasNext()) {
                Series s = selected.next();
                if (found.putIfAbsent(LabelSets.format(s.labels()), s.labels()) == null) {
                  ordered.add(s.labels());
                }
              }
            }
          }
          ordered.sort(LabelSets.ORDER);
          return PromJson.labelSets(ordered);
        });
  }

  Uni<String> labelNames(String tenant, PromParams p) {
    return executor.run(
        () -> {
          long start = p.time("start", PromTime.MIN_MS);
          long end = p.time("end", PromTime.MAX_MS);
          StoreQuerier querier = querier(tenant, engine(p));
          TreeSet<String> names = new TreeSet<>();
          for (List<LabelMatcher> set : matcherSetsOrAll(p.all("match[]"))) {
            names.addAll(querier.labelNames(start, end, set));
          }
          return PromJson.strings(names);
        });
  }

  Uni<String> labelValues(String tenant, String name, PromParams p) {
    return executor.run(
        () -> {
          if (!LabelSets.isValidName(name)) {
            throw new PromQLException(
                PromQLException.Type.BAD_DATA, "invalid label name: " + GoFormat.quote(name));
          }
          long start = p.time("start", PromTime.MIN_MS);
          long end = p.time("end", PromTime.MAX_MS);
          StoreQuerier querier = querier(tenant, engine(p));
          TreeSet<String> values = new TreeSet<>();
          for (List<LabelMatcher> set : matcherSetsOrAll(p.all("match[]"))) {
            values.addAll(querier.labelValues(name, start, end, set));
          }
          return PromJson.strings(values);
        });
  }

  /**
   * Metric families by their Prometheus name: the store's metric metadata where the aggregator
   * wrote it, else the newest series' type, unit and description. Untyped (remote-written) metrics
   * have none, as in Prometheus.
   */
  Uni<String> metadata(String tenant, PromParams p) {
    return executor.run(
        () -> {
          int limit = -1;
          String limitText = p.get("limit");
          if (!limitText.isEmpty()) {
            try {
              limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
              throw new PromQLException(PromQLException.Type.BAD_DATA, "limit must be a number");
            }
          }
          String metric = p.get("metric");
          StoreQuerier querier = querier(tenant, engine(p));
          Map<String, MetricMetadata> known = new HashMap<>();
          for (MetricMetadata m : querier.await(store.metadata(tenant, null))) {
            known.put(m.name(), m);
          }
          TreeMap<String, List<PromJson.Metadata>> byFamily = new TreeMap<>();
          for (String name : querier.await(store.metricNames(tenant, TimeRange.ALL))) {
            MetricMetadata m = known.get(name);
            if (m == null) {
              m = fromSeries(querier, tenant, name);
            }
            if (m == null || m.type() == MetricType.UNKNOWN) {
              continue;
            }
            String family = MetricNames.family(name, m.type(), m.unit());
            if (!metric.isEmpty() && !metric.equals(family)) {
              continue;
            }
            PromJson.Metadata entry =
                new PromJson.Metadata(
                    typeName(m.type()), m.description(), MetricNames.unit(m.unit()));
            List<PromJson.Metadata> entries =
                byFamily.computeIfAbsent(family, f -> new ArrayList<>());
            if (!entries.contains(entry)) {
              entries.add(entry);
            }
          }
          Map<String, List<PromJson.Metadata>> limited = new LinkedHashMap<>();
          for (Map.Entry<String, List<PromJson.Metadata>> e : byFamily.entrySet()) {
            if (limit >= 0 && limited.size() >= limit) {
              break;
            }
            limited.put(e.getKey(), e.getValue());
          }
          return PromJson.metadata(limited);
        });
  }

  private MetricMetadata fromSeries(StoreQuerier querier, String tenant, String name) {
    List<MetricSeries> series =
        querier.await(
            store.series(
                new SeriesQuery(
                    tenant,
                    List.of(LabelMatcher.equal(LabelMatcher.METRIC_NAME, name)),
                    TimeRange.ALL)));
    if (series.isEmpty()) {
      return null;
    }
    MetricSeries s = series.get(series.size() - 1);
    return new MetricMetadata(tenant, name, s.type(), s.temporality(), s.unit(), s.description());
  }

  private static String typeName(MetricType type) {
    return switch (type) {
      case COUNTER -> "counter";
      case UP_DOWN_COUNTER, GAUGE -> "gauge";
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM -> "histogram";
      case SUMMARY -> "summary";
      case UNKNOWN -> "unknown";
    };
  }

  private List<List<LabelMatcher>> matcherSetsOrAll(List<String> match) {
    return match.isEmpty() ? List.of(List.of()) : matcherSets(match, "match[]");
  }

  private static List<List<LabelMatcher>> matcherSets(List<String> match, String param) {
    List<List<LabelMatcher>> sets = new ArrayList<>(match.size());
    for (String selector : match) {
      try {
        sets.add(Parser.parseSelector(selector).matchers());
      } catch (ParseException e) {
        throw PromParams.invalid(param, e.getMessage());
      }
    }
    return sets;
  }

  private static Expr parse(String query) {
    try {
      return Parser.parse(query);
    } catch (ParseException e) {
      throw PromParams.invalid("query", e.getMessage());
    }
  }

  /** The engine for one request: the configured settings, a shorter timeout if asked. */
  private Engine engine(PromParams p) {
    if (p.get("timeout").isEmpty()) {
      return new Engine(defaults);
    }
    long timeoutMs = p.duration("timeout");
    Duration timeout = Duration.ofMillis(Math.max(0, timeoutMs));
    return new Engine(
        timeout.compareTo(defaults.timeout()) < 0 ? defaults.withTimeout(timeout) : defaults);
  }

  private StoreQuerier querier(String tenant, Engine engine) {
    long deadline = System.nanoTime() + engine.options().timeout().toNanos();
    return new StoreQuerier(store, names, tenant, deadline);
  }

  private long nowMillis() {
    return Math.floorDiv(now.nowUnixNanos(), 1_000_000L);
  }
}
