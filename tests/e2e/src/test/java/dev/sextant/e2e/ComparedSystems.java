package dev.sextant.e2e;

import dev.sextant.promql.conformance.DemoDataset;
import dev.sextant.promql.conformance.MiniJson;
import dev.sextant.promql.conformance.PrometheusApiClient;
import dev.sextant.promql.conformance.RealPrometheus;
import dev.sextant.promql.storage.Series;
import dev.sextant.storage.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Sextant and a real Prometheus 2.42 holding the same data: the whole suite started by {@code
 * ./sextant run} on the store its environment chooses, the compliance tester's demo dataset sent to
 * it by remote write (ingest → aggregator → store) and, as OpenMetrics through promtool's block
 * import, to Prometheus. Ready once Sextant reads back every sample (the store may make points
 * readable a little after their write was acknowledged, so this polls; it never sleeps blindly).
 */
final class ComparedSystems implements AutoCloseable {
  /** Samples per series in one remote-write request (about 40 series at a time fit 4 MiB). */
  private static final int SAMPLES_PER_REQUEST = 120;

  private static final Duration VISIBLE_WITHIN = Duration.ofMinutes(3);

  final DemoDataset data;
  final RunningSuite suite;
  final RealPrometheus prometheus;
  final PrometheusApiClient sextant;
  final long samples;

  /** Prometheus's folder (its TSDB), deleted at close. */
  private final Path prometheusDir;

  private ComparedSystems(
      DemoDataset data,
      RunningSuite suite,
      RealPrometheus prometheus,
      long samples,
      Path prometheusDir) {
    this.data = data;
    this.suite = suite;
    this.prometheus = prometheus;
    this.sextant = new PrometheusApiClient("http://127.0.0.1:" + suite.port("QUERY_HTTP"));
    this.samples = samples;
    this.prometheusDir = prometheusDir;
  }

  /** On the default store (SQLite). */
  static ComparedSystems start() throws Exception {
    return start(Map.of());
  }

  /** The suite started with {@code environment} beyond ports and data folder (the store). */
  static ComparedSystems start(Map<String, String> environment) throws Exception {
    long end = (System.currentTimeMillis() / 60_000) * 60_000 - 60_000;
    DemoDataset data = new DemoDataset(end);
    RunningSuite suite = RunningSuite.start(environment);
    try {
      List<Series> series = data.allSeries();
      long samples = series.stream().mapToLong(Series::size).sum();
      RemoteWriteClient writer =
          new RemoteWriteClient("http://127.0.0.1:" + suite.port("INGEST_HTTP"));
      int longest = series.stream().mapToInt(Series::size).max().orElse(0);
      for (int from = 0; from < longest; from += SAMPLES_PER_REQUEST) {
        for (int i = 0; i < series.size(); i += 40) {
          writer.send(
              series.subList(i, Math.min(series.size(), i + 40)), from, from + SAMPLES_PER_REQUEST);
        }
      }
      Path dir = Files.createTempDirectory("sextant-prometheus-api");
      RealPrometheus prometheus = RealPrometheus.start(data.openMetrics(), dir);
      ComparedSystems systems = new ComparedSystems(data, suite, prometheus, samples, dir);
      systems.awaitVisible();
      return systems;
    } catch (Exception | Error e) {
      suite.close();
      throw e;
    }
  }

  /** Polls Sextant until it counts every sample sent. */
  private void awaitVisible() throws Exception {
    long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
    long seen = -1;
    while (System.nanoTime() < deadline) {
      seen = samplesVisible();
      if (seen == samples) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "Sextant shows " + seen + " of " + samples + " samples after " + VISIBLE_WITHIN);
  }

  /** Samples Sextant reads back, counted per metric name (names differ only there, at times). */
  @SuppressWarnings("unchecked")
  private long samplesVisible() throws Exception {
    long total = 0;
    for (String name : data.families.keySet()) {
      String query = "sum(count_over_time({__name__=\"" + name + "\"}[3h1m]))";
      List<Object> result = result(sextant.query(query, data.end));
      if (!result.isEmpty()) {
        List<Object> value = (List<Object>) ((Map<String, Object>) result.get(0)).get("value");
        total += (long) Double.parseDouble((String) value.get(1));
      }
    }
    return total;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> result(String json) {
    Map<String, Object> answer = (Map<String, Object>) MiniJson.parse(json);
    if (!"success".equals(answer.get("status"))) {
      throw new IllegalStateException("Sextant refused a query: " + json);
    }
    return (List<Object>) ((Map<String, Object>) answer.get("data")).get("result");
  }

  @Override
  public void close() throws Exception {
    try (RealPrometheus p = prometheus) {
      suite.close();
    } finally {
      TempDirs.deleteQuietly(prometheusDir);
    }
  }
}
