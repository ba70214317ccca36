package dev.sextant.e2e;

import dev.sextant.model.Labels;
import dev.sextant.promql.conformance.ComplianceQueries;
import dev.sextant.promql.conformance.PrometheusApiClient;
import dev.sextant.promql.storage.Series;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A benchmark run by hand (no JMH), on the packaged suite started by {@code ./sextant run}:
 *
 * <ul>
 *   <li>{@code queries [rounds]}: the conformance query set (every compliance template and our
 *       extra queries, as range and as instant queries) over HTTP against Sextant (data sent by
 *       remote write into SQLite) and against a real Prometheus 2.42 on the same data and machine,
 *       in the same run, warm; prints each side's time per round and the ratio.
 *   <li>{@code serve [seconds]}: both systems with the data loaded, left up for probing by hand.
 *   <li>{@code remote-write [seconds] [senders] [series] [samples-per-request]}: remote-write load
 *       as Prometheus sends it (each request a slice of the series, one new sample each, timestamps
 *       advancing), reporting the sustained acknowledged samples per second (acknowledged =
 *       committed by the aggregator into SQLite) and the request latency.
 * </ul>
 *
 * <pre>
 * ./mvnw -q -DskipTests package dependency:build-classpath -pl tests/e2e -am \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp tests/e2e/target/test-classes:$(cat tests/e2e/target/cp.txt) \
 *     dev.sextant.e2e.PrometheusApiBenchmark queries 12
 * </pre>
 *
 * <p>{@code -Dsextant.bench.store=postgres|clickhouse} runs the suite on that store instead of
 * SQLite (a server this JVM starts, as the ITs do).
 */
public final class PrometheusApiBenchmark {
  private PrometheusApiBenchmark() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "queries";
    switch (mode) {
      case "queries" -> queries(args.length > 1 ? Integer.parseInt(args[1]) : 5);
      case "serve" -> serve(arg(args, 1, 600));
      case "remote-write" ->
          remoteWrite(
              arg(args, 1, 60),
              (int) arg(args, 2, 8),
              (int) arg(args, 3, 10_000),
              (int) arg(args, 4, 2000));
      default -> throw new IllegalArgumentException("mode: queries, serve or remote-write");
    }
  }

  /**
   * The suite's store, from {@code -Dsextant.bench.store}: {@code sqlite} (the default), {@code
   * postgres} (a throwaway PostgreSQL this JVM starts) or {@code clickhouse} (chDB's ClickHouse
   * this JVM starts).
   */
  private static Map<String, String> store() {
    String store = System.getProperty("sextant.bench.store", "sqlite");
    return switch (store) {
      case "sqlite" -> Map.of();
      case "postgres" -> SuiteOnPostgres.environment("bench");
      case "clickhouse" -> SuiteOnClickHouse.environment("bench");
      default ->
          throw new IllegalArgumentException(
              "-Dsextant.bench.store: sqlite, postgres or clickhouse, not " + store);
    };
  }

  private static long arg(String[] args, int i, long otherwise) {
    return args.length > i ? Long.parseLong(args[i]) : otherwise;
  }

  /** Both systems with the data loaded, left up for probing and profiling by hand. */
  private static void serve(long seconds) throws Exception {
    try (ComparedSystems systems = ComparedSystems.start(store())) {
      System.out.printf(
          "Sextant %s, Prometheus %s, query time %d (ms); up for %d s%n",
          systems.sextant.baseUrl(),
          systems.prometheus.api().baseUrl(),
          systems.data.end - 12 * 60_000,
          seconds);
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    }
  }

  private static void queries(int rounds) throws Exception {
    try (ComparedSystems systems = ComparedSystems.start(store())) {
      long end = systems.data.end - 12 * 60_000;
      long start = end - 10 * 60_000;
      List<ComplianceQueries.Query> queries = PrometheusApiIT.queries();
      PrometheusApiClient prometheus = systems.prometheus.api();
      // Totals of the second half of the rounds: the JIT has done most of its work by then.
      long[] rangeLate = new long[2];
      long[] instantLate = new long[2];
      // Per query, over the late rounds: where Sextant's instant time goes against Prometheus's.
      long[][] perQueryInstant = new long[queries.size()][2];
      for (int round = 0; round <= rounds; round++) {
        long[] range = new long[2];
        long[] instant = new long[2];
        for (int qi = 0; qi < queries.size(); qi++) {
          ComplianceQueries.Query q = queries.get(qi);
          long t0 = System.nanoTime();
          prometheus.queryRange(q.text(), start, end, PrometheusApiIT.STEP_MS);
          long t1 = System.nanoTime();
          systems.sextant.queryRange(q.text(), start, end, PrometheusApiIT.STEP_MS);
          long t2 = System.nanoTime();
          prometheus.query(q.text(), end);
          long t3 = System.nanoTime();
          systems.sextant.query(q.text(), end);
          long t4 = System.nanoTime();
          range[0] += t1 - t0;
          range[1] += t2 - t1;
          instant[0] += t3 - t2;
          instant[1] += t4 - t3;
          if (round > rounds / 2) {
            perQueryInstant[qi][0] += t3 - t2;
            perQueryInstant[qi][1] += t4 - t3;
          }
        }
        System.out.printf(
            "%s: %d range queries: Prometheus %.0f ms, Sextant %.0f ms (%.2fx);"
                + " %d instant queries: Prometheus %.0f ms, Sextant %.0f ms (%.2fx)%n",
            round == 0 ? "warm-up" : "round " + round,
            queries.size(),
            range[0] / 1e6,
            range[1] / 1e6,
            (double) range[1] / range[0],
            queries.size(),
            instant[0] / 1e6,
            instant[1] / 1e6,
            (double) instant[1] / instant[0]);
        if (round > rounds / 2) {
          for (int side = 0; side < 2; side++) {
            rangeLate[side] += range[side];
            instantLate[side] += instant[side];
          }
        }
      }
      System.out.printf(
          "%nSUMMARY rounds %d-%d: range queries %.2fx Prometheus's time, instant queries %.2fx%n",
          rounds / 2 + 1,
          rounds,
          (double) rangeLate[1] / rangeLate[0],
          (double) instantLate[1] / instantLate[0]);
      int lateRounds = rounds - rounds / 2;
      Integer[] order = new Integer[queries.size()];
      Arrays.setAll(order, i -> i);
      Arrays.sort(
          order,
          (a, b) ->
              Long.compare(
                  perQueryInstant[b][1] - perQueryInstant[b][0],
                  perQueryInstant[a][1] - perQueryInstant[a][0]));
      long[][] sides = new long[2][queries.size()];
      for (int i = 0; i < queries.size(); i++) {
        sides[0][i] = perQueryInstant[i][0];
        sides[1][i] = perQueryInstant[i][1];
      }
      Arrays.sort(sides[0]);
      Arrays.sort(sides[1]);
      System.out.printf(
          "instant query median: Prometheus %.0f µs, Sextant %.0f µs%n",
          sides[0][queries.size() / 2] / 1e3 / lateRounds,
          sides[1][queries.size() / 2] / 1e3 / lateRounds);
      System.out.println(eventLoopTries(systems.suite));
      System.out.println("instant queries where Sextant lags most (µs per query, late rounds):");
      for (int i = 0; i < Math.min(20, order.length); i++) {
        long[] t = perQueryInstant[order[i]];
        System.out.printf(
            "  %7.0f  %7.0f  %s%n",
            t[0] / 1e3 / lateRounds, t[1] / 1e3 / lateRounds, queries.get(order[i]).text());
      }
    }
  }

  private static void remoteWrite(long seconds, int senders, int seriesCount, int perRequest)
      throws Exception {
    try (RunningSuite suite = RunningSuite.start(store())) {
      String url = "http://127.0.0.1:" + suite.port("INGEST_HTTP");
      System.out.printf(
          "remote write for %d s: %d senders, %d series, %d samples per request%n",
          seconds, senders, seriesCount, perRequest);
      AtomicLong acked = new AtomicLong();
      AtomicLong requests = new AtomicLong();
      long[] latencies = new long[1 << 20];
      AtomicLong latencyCount = new AtomicLong();
      long startNanos = System.nanoTime();
      long deadline = startNanos + TimeUnit.SECONDS.toNanos(seconds);
      long t0 = System.currentTimeMillis() - TimeUnit.SECONDS.toMillis(seconds + 60);
      ExecutorService pool = Executors.newFixedThreadPool(senders);
      List<Future<?>> running = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int sender = s;
        running.add(
            pool.submit(
                () -> {
                  RemoteWriteClient client = new RemoteWriteClient(url);
                  // Each sender owns a slice of the series and steps through it, one sample per
                  // series per pass, timestamps advancing by a millisecond per pass.
                  List<Series> mine = ownSeries(sender, senders, seriesCount);
                  long pass = 0;
                  int next = 0;
                  while (System.nanoTime() < deadline) {
                    List<Series> batch = new ArrayList<>(perRequest);
                    for (int i = 0; i < perRequest; i++) {
                      Series base = mine.get(next);
                      long ts = t0 + pass;
                      batch.add(Series.of(base.labels(), new long[] {ts}, new double[] {pass}));
                      if (++next == mine.size()) {
                        next = 0;
                        pass++;
                      }
                    }
                    long sent = System.nanoTime();
                    client.send(batch, 0, 1);
                    long took = System.nanoTime() - sent;
                    long slot = latencyCount.getAndIncrement();
                    if (slot < latencies.length) {
                      latencies[(int) slot] = took;
                    }
                    acked.addAndGet(perRequest);
                    requests.incrementAndGet();
                  }
                  return null;
                }));
      }
      long last = 0;
      long lastNanos = startNanos;
      while (System.nanoTime() < deadline) {
        Thread.sleep(5000);
        long now = System.nanoTime();
        long a = acked.get();
        System.out.printf(
            "%5.0fs  acked %,12d  %,10.0f samples/s%n",
            (now - startNanos) / 1e9, a, (a - last) * 1e9 / (now - lastNanos));
        last = a;
        lastNanos = now;
      }
      for (Future<?> f : running) {
        f.get();
      }
      pool.shutdown();
      long elapsed = System.nanoTime() - startNanos;
      int n = (int) Math.min(latencyCount.get(), latencies.length);
      long[] sorted = Arrays.copyOf(latencies, n);
      Arrays.sort(sorted);
      System.out.printf(
          "%nSUMMARY remote write: %,d samples acknowledged in %.1f s = %,.0f samples/s sustained"
              + " (%d requests); request latency p50 %.1f ms, p99 %.1f ms%n",
          acked.get(),
          elapsed / 1e9,
          acked.get() * 1e9 / elapsed,
          requests.get(),
          sorted[n / 2] / 1e6,
          sorted[(int) (n * 0.99)] / 1e6);
    }
  }

  /** The query service's count of queries answered on the event loop and moved to a thread. */
  private static String eventLoopTries(RunningSuite suite) throws Exception {
    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + suite.port("QUERY_HTTP") + "/q/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    StringBuilder out = new StringBuilder("queries tried on the event loop:");
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("sextant_promql_event_loop_tries_total{")) {
        out.append(' ').append(line.substring(line.indexOf("outcome=")));
      }
    }
    return out.toString();
  }

  private static List<Series> ownSeries(int sender, int senders, int seriesCount) {
    List<Series> out = new ArrayList<>();
    for (int i = sender; i < seriesCount; i += senders) {
      Labels labels =
          Labels.of(
              "__name__",
              "bench_requests_total",
              "instance",
              "host-" + (i % 100) + ":9100",
              "job",
              "bench",
              "series",
              Integer.toString(i));
      out.add(Series.of(labels, new long[0], new double[0]));
    }
    return out;
  }
}
