package dev.sextant.query;

import dev.sextant.model.HistogramPoint;
import dev.sextant.model.Labels;
import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Span;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanKind;
import dev.sextant.model.SpanLink;
import dev.sextant.model.StatusCode;
import dev.sextant.model.Temporality;
import dev.sextant.storage.StorageComponent;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Builds telemetry and writes it through the real store, as ingest and the aggregator would. Each
 * test class picks its own base time so classes sharing one store never see each other's rows.
 */
public final class Fixtures {
  public static final long SECOND = 1_000_000_000L;

  private Fixtures() {}

  /** A base time beyond 2^53 ns, in 2024, distinct per {@code slot}. */
  public static long base(int slot) {
    return 1_714_564_800L * SECOND + slot * 86_400L * SECOND + 123_456_789L;
  }

  public static long nowMinus(Duration ago) {
    return System.currentTimeMillis() * 1_000_000L - ago.toNanos();
  }

  public static String traceId(int slot, int n) {
    return String.format("%016x%016x", 0xabc0000L + slot, n);
  }

  public static String spanId(int n) {
    return String.format("%016x", 0x5000L + n);
  }

  /** A span with the usual fields; attributes of every type for the typed-JSON checks. */
  public static Span span(
      String tenant,
      String traceId,
      String spanId,
      String parent,
      String name,
      String service,
      long start,
      long durationNanos,
      StatusCode status,
      Map<String, Object> attributes) {
    return new Span(
        tenant,
        traceId,
        spanId,
        parent,
        name,
        SpanKind.SERVER,
        start,
        start + durationNanos,
        status,
        status == StatusCode.ERROR ? "it failed" : "",
        service,
        "mastra",
        "1.2.3",
        Map.of("service.name", service, "deployment.environment", "test"),
        attributes,
        List.of(new SpanEvent("retry", start + 5, Map.of("attempt", 2L))),
        List.of(new SpanLink(traceId(9, 9), spanId(99), Map.of("kind", "follows"))),
        3);
  }

  public static Span simpleSpan(
      String tenant, String traceId, String spanId, String parent, long start, String service) {
    return span(
        tenant, traceId, spanId, parent, "op", service, start, SECOND, StatusCode.OK, Map.of());
  }

  public static LogRecord log(
      String tenant,
      long time,
      int severity,
      String body,
      String service,
      String traceId,
      Map<String, Object> attributes) {
    return new LogRecord(
        tenant,
        time,
        time + 7,
        severity,
        "SEV" + severity,
        body,
        service,
        "logger",
        traceId,
        traceId.isEmpty() ? "" : spanId(1),
        Map.of("service.name", service),
        attributes,
        1);
  }

  public static MetricSeries series(
      String tenant, String name, MetricType type, Temporality temporality, String... labels) {
    return new MetricSeries(tenant, name, Labels.of(labels), type, temporality, "ms", "about it");
  }

  /**
   * A counter series with these labels plus {@code instance=i<n>}, the first whose 64-bit id is
   * negative as a signed long: it checks that ids travel as unsigned decimals.
   */
  public static MetricSeries withNegativeId(String tenant, String name, String... labels) {
    for (int i = 0; ; i++) {
      String[] all = java.util.Arrays.copyOf(labels, labels.length + 2);
      all[labels.length] = "instance";
      all[labels.length + 1] = "i" + i;
      MetricSeries s = series(tenant, name, MetricType.COUNTER, Temporality.CUMULATIVE, all);
      if (s.id() < 0) {
        return s;
      }
    }
  }

  public static MetricWrite number(MetricSeries series, long time, double value) {
    return new MetricWrite(series, new NumberPoint(time - SECOND, time, value));
  }

  public static MetricWrite histogram(MetricSeries series, long time, double min, double max) {
    return new MetricWrite(
        series,
        new HistogramPoint(
            time - 10 * SECOND,
            time,
            4,
            983.0,
            min,
            max,
            new double[] {10, 100},
            new long[] {1, 2, 1}));
  }

  public static void writeSpans(StorageComponent storage, List<Span> spans) {
    storage.spans().write(spans).await().atMost(Duration.ofSeconds(10));
  }

  public static void writeLogs(StorageComponent storage, List<LogRecord> records) {
    storage.logs().write(records).await().atMost(Duration.ofSeconds(10));
  }

  /** Writes and flushes: a backend may make points readable only after its visibility lag. */
  public static void writeMetrics(StorageComponent storage, List<MetricWrite> writes) {
    storage.metrics().write(writes).await().atMost(Duration.ofSeconds(10));
    storage.metrics().flush().await().atMost(Duration.ofSeconds(10));
  }
}
