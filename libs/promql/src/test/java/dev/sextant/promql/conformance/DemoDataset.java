package dev.sextant.promql.conformance;

import dev.sextant.model.Labels;
import dev.sextant.promql.storage.Series;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A deterministic dataset shaped like the PromQL compliance tester's demo service: gauges, counters
 * with resets, classic histograms, series that come and go, all scraped every 15 s for three hours
 * before {@code end}. The same samples go to Prometheus (as OpenMetrics text) and to the in-memory
 * querier.
 */
public final class DemoDataset {
  public static final long SCRAPE_MS = 15_000;
  static final long SPAN_MS = 3 * 3600_000L;
  private static final String[] INSTANCES = {
    "demo.promlabs.com:10000", "demo.promlabs.com:10001", "demo.promlabs.com:10002"
  };
  private static final double[] BUCKETS = {
    0.0001, 0.00015, 0.0002, 0.0003, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1
  };

  public final long start;
  public final long end;

  /** Families in generation order; each family's series in generation order. */
  public final Map<String, List<Series>> families = new LinkedHashMap<>();

  private final SplittableRandom random = new SplittableRandom(20200806);

  public DemoDataset(long end) {
    this.end = end;
    this.start = end - SPAN_MS;
    memory();
    cpu();
    numCpus();
    disk();
    batch();
    intermittent();
    apiHistogram();
    extras();
  }

  public List<Series> allSeries() {
    List<Series> all = new ArrayList<>();
    families.values().forEach(all::addAll);
    return all;
  }

  private static Labels labels(String name, String... kv) {
    TreeMap<String, String> m = new TreeMap<>();
    m.put("__name__", name);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Labels.of(m);
  }

  private void add(String family, Labels labels, List<long[]> unused, long[] ts, double[] vs) {
    families.computeIfAbsent(family, f -> new ArrayList<>()).add(Series.of(labels, ts, vs));
  }

  /** Timestamps every scrape interval from start to end, shifted by a whole-second phase. */
  private long[] times(long phaseMs) {
    int n = (int) ((end - start - phaseMs) / SCRAPE_MS) + 1;
    long[] ts = new long[n];
    for (int i = 0; i < n; i++) {
      ts[i] = start + phaseMs + i * SCRAPE_MS;
    }
    return ts;
  }

  /** Values with few significant digits, so their text form is exact in both systems. */
  private double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  private void memory() {
    String[] types = {"buffers", "cached", "free", "used"};
    for (int i = 0; i < INSTANCES.length; i++) {
      for (int t = 0; t < types.length; t++) {
        long[] ts = times(1000L * (i + 1));
        double[] vs = new double[ts.length];
        double base = 1e9 * (1 + t) * (1 + 0.5 * i);
        for (int k = 0; k < ts.length; k++) {
          vs[k] = Math.round(base + 2e8 * Math.sin(k / (20.0 + t)) + random.nextInt(1_000_000));
        }
        add(
            "demo_memory_usage_bytes",
            labels(
                "demo_memory_usage_bytes",
                "instance",
                INSTANCES[i],
                "job",
                "demo",
                "type",
                types[t]),
            null,
            ts,
            vs);
      }
    }
  }

  private void cpu() {
    String[] modes = {"idle", "system", "user"};
    for (int i = 0; i < INSTANCES.length; i++) {
      for (int m = 0; m < modes.length; m++) {
        long[] ts = times(1000L * (i + 1));
        double[] vs = new double[ts.length];
        double v = 100 * (m + 1) * (i + 1);
        for (int k = 0; k < ts.length; k++) {
          // A restart (counter reset) in two of the series, at different times.
          if ((i == 1 && m == 2 && k == 300) || (i == 2 && m == 0 && k == 520)) {
            v = round(random.nextDouble() * 3, 3);
          } else {
            v = round(v + random.nextDouble() * (m + 1) * 2, 3);
          }
          vs[k] = v;
        }
        add(
            "demo_cpu_usage_seconds_total",
            labels(
                "demo_cpu_usage_seconds_total",
                "instance",
                INSTANCES[i],
                "job",
                "demo",
                "mode",
                modes[m]),
            null,
            ts,
            vs);
      }
    }
  }

  private void numCpus() {
    int[] cpus = {4, 8, 2};
    for (int i = 0; i < INSTANCES.length; i++) {
      long[] ts = times(1000L * (i + 1));
      double[] vs = new double[ts.length];
      java.util.Arrays.fill(vs, cpus[i]);
      add(
          "demo_num_cpus",
          labels("demo_num_cpus", "instance", INSTANCES[i], "job", "demo"),
          null,
          ts,
          vs);
    }
  }

  private void disk() {
    for (int i = 0; i < INSTANCES.length; i++) {
      long[] ts = times(1000L * (i + 1));
      double[] vs = new double[ts.length];
      double v = 5e10 * (i + 1);
      for (int k = 0; k < ts.length; k++) {
        v += i == 2 ? -random.nextInt(200_000) : random.nextInt(1_000_000);
        vs[k] = v;
      }
      add(
          "demo_disk_usage_bytes",
          labels("demo_disk_usage_bytes", "instance", INSTANCES[i], "job", "demo"),
          null,
          ts,
          vs);
    }
  }

  private void batch() {
    for (int i = 0; i < INSTANCES.length; i++) {
      long[] ts = times(1000L * (i + 1));
      double[] vs = new double[ts.length];
      double last = (start - 60_000L) / 1000.0;
      for (int k = 0; k < ts.length; k++) {
        // The batch job succeeds every few minutes; the value is the time of the last success.
        if (k % (8 + 4 * i) == 0) {
          last = ts[k] / 1000.0 - 5;
        }
        vs[k] = last;
      }
      add(
          "demo_batch_last_success_timestamp_seconds",
          labels(
              "demo_batch_last_success_timestamp_seconds", "instance", INSTANCES[i], "job", "demo"),
          null,
          ts,
          vs);
    }
  }

  /** Present for 10 minutes, absent for 7 (longer than the lookback), and so on. */
  private void intermittent() {
    long[] all = times(2000);
    List<Long> keep = new ArrayList<>();
    for (long t : all) {
      long minute = (t - start) / 60_000;
      if (minute % 17 < 10) {
        keep.add(t);
      }
    }
    long[] ts = keep.stream().mapToLong(Long::longValue).toArray();
    double[] vs = new double[ts.length];
    for (int k = 0; k < ts.length; k++) {
      vs[k] = k % 7;
    }
    add(
        "demo_intermittent_metric",
        labels("demo_intermittent_metric", "instance", INSTANCES[0], "job", "demo"),
        null,
        ts,
        vs);
  }

  private void apiHistogram() {
    String[] methods = {"GET", "POST"};
    String[] paths = {"/api/bar", "/api/foo"};
    for (int i = 0; i < INSTANCES.length; i++) {
      for (String method : methods) {
        for (String path : paths) {
          long[] ts = times(1000L * (i + 1));
          int n = ts.length;
          double[][] buckets = new double[BUCKETS.length + 1][n];
          double[] sum = new double[n];
          double[] count = new double[n];
          double[] cumulative = new double[BUCKETS.length + 1];
          double total = 0;
          double totalSum = 0;
          for (int k = 0; k < n; k++) {
            if (i == 1 && method.equals("POST") && k == 400) {
              java.util.Arrays.fill(cumulative, 0); // a restart
              total = 0;
              totalSum = 0;
            }
            int requests = random.nextInt(20);
            for (int r = 0; r < requests; r++) {
              double latency = Math.exp(random.nextDouble() * 8 - 9.5);
              totalSum += latency;
              total++;
              for (int b = 0; b < BUCKETS.length; b++) {
                if (latency <= BUCKETS[b]) {
                  cumulative[b]++;
                }
              }
              cumulative[BUCKETS.length]++;
            }
            for (int b = 0; b <= BUCKETS.length; b++) {
              buckets[b][k] = cumulative[b];
            }
            sum[k] = round(totalSum, 6);
            count[k] = total;
          }
          String[] base = {
            "instance", INSTANCES[i], "job", "demo", "method", method, "path", path, "status", "200"
          };
          for (int b = 0; b <= BUCKETS.length; b++) {
            String le = b == BUCKETS.length ? "+Inf" : Double.toString(BUCKETS[b]);
            String[] kv = java.util.Arrays.copyOf(base, base.length + 2);
            kv[base.length] = "le";
            kv[base.length + 1] = le;
            add(
                "demo_api_request_duration_seconds_bucket",
                labels("demo_api_request_duration_seconds_bucket", kv),
                null,
                ts.clone(),
                buckets[b]);
          }
          add(
              "demo_api_request_duration_seconds_sum",
              labels("demo_api_request_duration_seconds_sum", base),
              null,
              ts.clone(),
              sum);
          add(
              "demo_api_request_duration_seconds_count",
              labels("demo_api_request_duration_seconds_count", base),
              null,
              ts.clone(),
              count);
        }
      }
    }
  }

  /**
   * Series for the extra queries: one that starts late and one that stops early, special values,
   * and two metrics that differ only by name.
   */
  private void extras() {
    long[] all = times(0);
    int n = all.length;
    long[] late = java.util.Arrays.copyOfRange(all, n - 200, n);
    double[] lateValues = new double[late.length];
    for (int k = 0; k < late.length; k++) {
      lateValues[k] = k * 1.5;
    }
    add("sextant_late_total", labels("sextant_late_total", "job", "extra"), null, late, lateValues);
    long[] early = java.util.Arrays.copyOfRange(all, 0, n - 100);
    double[] earlyValues = new double[early.length];
    for (int k = 0; k < early.length; k++) {
      earlyValues[k] = 1000 - k;
    }
    add("sextant_early", labels("sextant_early", "job", "extra"), null, early, earlyValues);
    double[] special = new double[n];
    for (int k = 0; k < n; k++) {
      special[k] =
          switch (k % 11) {
            case 3 -> Double.NaN;
            case 7 -> Double.POSITIVE_INFINITY;
            case 9 -> Double.NEGATIVE_INFINITY;
            default -> k - 300;
          };
    }
    add("sextant_special", labels("sextant_special", "job", "extra"), null, all.clone(), special);
    for (String name : new String[] {"sextant_twin_a", "sextant_twin_b"}) {
      double[] v = new double[n];
      for (int k = 0; k < n; k++) {
        v[k] = name.endsWith("a") ? k : 2 * k;
      }
      add(name, labels(name, "job", "extra", "instance", "x"), null, all.clone(), v);
    }
  }

  /** The dataset as OpenMetrics text for promtool. */
  public String openMetrics() {
    return OpenMetrics.text(allSeries());
  }
}
