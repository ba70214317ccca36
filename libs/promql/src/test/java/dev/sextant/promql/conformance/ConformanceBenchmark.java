package dev.sextant.promql.conformance;

import dev.sextant.promql.engine.Engine;
import dev.sextant.promql.engine.PromQLException;
import dev.sextant.promql.storage.InMemoryQuerier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A simple benchmark (no JMH): the conformance query set as range queries, warm, on this engine in
 * process and on the real Prometheus over HTTP. Prometheus's figure includes HTTP and JSON, so it
 * is an upper bound of its engine time. Run with the test classpath:
 *
 * <pre>java -cp ... dev.sextant.promql.conformance.ConformanceBenchmark [rounds]</pre>
 */
public final class ConformanceBenchmark {
  private ConformanceBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    long end = (System.currentTimeMillis() / 60_000) * 60_000 - 60_000;
    DemoDataset data = new DemoDataset(end);
    InMemoryQuerier querier = new InMemoryQuerier(data.allSeries());
    Engine engine = new Engine();
    long queryEnd = data.end - 12 * 60_000;
    long queryStart = queryEnd - 10 * 60_000;
    List<String> queries = new ArrayList<>();
    ComplianceQueries.templates().forEach(q -> queries.add(q.text()));
    ComplianceQueries.extras().forEach(q -> queries.add(q.text()));
    try (RealPrometheus prometheus =
        RealPrometheus.start(data.openMetrics(), Path.of("target", "prometheus-benchmark"))) {
      for (int round = 0; round <= rounds; round++) {
        long ours = 0;
        long theirs = 0;
        for (String q : queries) {
          long t0 = System.nanoTime();
          try {
            engine.rangeQuery(querier, q, queryStart, queryEnd, 10_000);
          } catch (PromQLException expected) {
            // the should_fail queries
          }
          long t1 = System.nanoTime();
          prometheus.queryRange(q, queryStart, queryEnd, 10_000);
          long t2 = System.nanoTime();
          ours += t1 - t0;
          theirs += t2 - t1;
        }
        System.out.printf(
            "%s round: %d queries, Sextant %.1f ms, Prometheus (HTTP included) %.1f ms%n",
            round == 0 ? "warm-up" : "#" + round, queries.size(), ours / 1e6, theirs / 1e6);
      }
    }
  }
}
