package dev.sextant.storage.sqlite;

import dev.sextant.model.Span;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.testkit.TempDirs;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A micro benchmark of the SQLite span store, run by hand (not a unit test):
 *
 * <pre>
 * ./mvnw -o -q -pl libs/storage-sqlite test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt
 * cd libs/storage-sqlite
 * java --enable-native-access=ALL-UNNAMED \
 *     -cp "$(cat target/test-classpath.txt):target/classes:target/test-classes" \
 *     dev.sextant.storage.sqlite.SpanStoreBenchmark write FULL 300000
 * java ... SpanStoreBenchmark lookup FULL 1000000
 * </pre>
 *
 * <p>{@code write}: producer threads write batches of realistic agent spans (16 span and 8 resource
 * attributes of every scalar type, an event on every fifth span, about 1.3 KB of JSON per span)
 * with several writes in flight each, as ingest does; prints spans per second after a warm-up.
 * {@code lookup}: stores that many spans, then times trace-by-id lookups and a search. Arguments:
 * mode, synchronous (FULL|NORMAL), span count, [producers=2], [batch=500], [inFlightPerProducer=4].
 */
public final class SpanStoreBenchmark {
  private static final long T0 = 1_767_225_600_000_000_000L;
  private static final int SPANS_PER_TRACE = 10;

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "write";
    Synchronous synchronous = Synchronous.valueOf(args.length > 1 ? args[1] : "FULL");
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 300_000;
    int producers = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int batch = args.length > 4 ? Integer.parseInt(args[4]) : 500;
    int inFlight = args.length > 5 ? Integer.parseInt(args[5]) : 4;

    Path dir = Files.createTempDirectory("sextant-span-bench");
    try (SqliteStorage storage =
        SqliteStorage.builder().dataDir(dir).synchronous(synchronous).build()) {
      storage.start();
      System.out.printf(
          "mode=%s synchronous=%s spans=%d producers=%d batch=%d inFlight/producer=%d%n",
          mode, synchronous, count, producers, batch, inFlight);
      switch (mode) {
        case "write" -> {
          write(storage, Math.min(50_000, count / 5), producers, batch, inFlight, 0, "warm-up");
          write(storage, count, producers, batch, inFlight, 1_000_000_000L, "measured");
        }
        case "lookup" -> {
          write(storage, count, producers, batch, inFlight, 0, "load");
          lookups(storage, count);
        }
        default -> throw new IllegalArgumentException("mode is write or lookup");
      }
    } finally {
      TempDirs.deleteQuietly(dir);
    }
  }

  private static void write(
      SqliteStorage storage,
      int count,
      int producers,
      int batchSize,
      int inFlight,
      long traceOffset,
      String label)
      throws InterruptedException {
    SqliteWriter writer = storage.database(Signal.SPANS).writer();
    long commitsBefore = writer.commits();
    long writerCpuBefore = writerCpuNanos();
    long processCpuBefore = processCpuNanos();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int perProducer = count / producers;
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int p = 0; p < producers; p++) {
      long firstSpan = traceOffset + (long) p * perProducer;
      threads.add(
          Thread.ofPlatform()
              .name("producer-" + p)
              .start(() -> produce(storage, firstSpan, perProducer, batchSize, inFlight, failure)));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failure.get() != null) {
      throw new IllegalStateException("a write failed", failure.get());
    }
    long commits = writer.commits() - commitsBefore;
    System.out.printf(
        "%-9s %,d spans in %.2f s = %,.0f spans/s (%d commits, %.0f spans per commit,"
            + " writer thread on CPU %.0f%% of the time, process CPU %.1f us per span)%n",
        label,
        perProducer * producers,
        seconds,
        perProducer * producers / seconds,
        commits,
        (double) perProducer * producers / Math.max(1, commits),
        (writerCpuNanos() - writerCpuBefore) / 1e7 / seconds,
        (processCpuNanos() - processCpuBefore) / 1e3 / (perProducer * producers));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long writerCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("sextant-sqlite-spans-writer")) {
        return threads.getThreadCpuTime(thread.threadId());
      }
    }
    return 0;
  }

  /** Writes spans, keeping up to {@code inFlight} writes outstanding, like ingest does. */
  private static void produce(
      SqliteStorage storage,
      long firstSpan,
      int count,
      int batchSize,
      int inFlight,
      AtomicReference<Throwable> failure) {
    Semaphore permits = new Semaphore(inFlight);
    SplittableRandom random = new SplittableRandom(firstSpan);
    for (int written = 0; written < count && failure.get() == null; written += batchSize) {
      List<Span> batch = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize && written + i < count; i++) {
        batch.add(span(firstSpan + written + i, random));
      }
      permits.acquireUninterruptibly();
      CompletableFuture<Void> write = storage.spans().write(batch).subscribeAsCompletionStage();
      write.whenComplete(
          (ok, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            }
            permits.release();
          });
    }
    permits.acquireUninterruptibly(inFlight);
  }

  private static void lookups(SqliteStorage storage, int count) {
    SplittableRandom random = new SplittableRandom(42);
    int traces = count / SPANS_PER_TRACE;
    long[] nanos = new long[2_000];
    for (int i = 0; i < nanos.length; i++) {
      String traceId = traceId(random.nextInt(traces));
      long start = System.nanoTime();
      List<Span> spans = storage.spans().trace("acme", traceId).await().indefinitely();
      nanos[i] = System.nanoTime() - start;
      if (spans.size() != SPANS_PER_TRACE) {
        throw new IllegalStateException(traceId + " has " + spans.size() + " spans");
      }
    }
    Arrays.sort(nanos);
    System.out.printf(
        "trace by id over %,d spans: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d lookups)%n",
        count,
        nanos[nanos.length / 2] / 1e6,
        nanos[nanos.length * 99 / 100] / 1e6,
        nanos[nanos.length - 1] / 1e6,
        nanos.length);
    for (TraceQuery query :
        List.of(
            TraceQuery.all("acme", 20),
            new TraceQuery("acme", null, "checkout", null, null, null, null, Map.of(), 20),
            new TraceQuery("acme", null, null, null, StatusCode.ERROR, null, null, Map.of(), 20))) {
      long start = System.nanoTime();
      int found = storage.spans().search(query).await().indefinitely().size();
      System.out.printf(
          "search %s/%s/%s limit 20: %d traces in %.2f ms%n",
          query.serviceName(),
          query.status(),
          query.attributes(),
          found,
          (System.nanoTime() - start) / 1e6);
    }
  }

  private static String traceId(long trace) {
    return String.format("%032x", trace * 0x9E3779B97F4A7C15L & Long.MAX_VALUE);
  }

  private static final String[] SERVICES = {"checkout", "agent-api", "search", "billing"};
  private static final String[] NAMES = {
    "agent.run", "llm.generation", "tool.call", "http.request"
  };

  /** An agent span as Mastra and OpenTelemetry SDKs send them; 10 spans per trace. */
  static Span span(long n, SplittableRandom random) {
    long trace = n / SPANS_PER_TRACE;
    int index = (int) (n % SPANS_PER_TRACE);
    String service = SERVICES[(int) (trace % SERVICES.length)];
    long start = T0 + trace * 1_000_000L + index * 10_000L;
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("service.name", service);
    resource.put("service.version", "1.4.2");
    resource.put("deployment.environment", "production");
    resource.put("host.name", "ip-10-0-3-17.eu-west-1.compute.internal");
    resource.put("telemetry.sdk.name", "opentelemetry");
    resource.put("telemetry.sdk.language", "nodejs");
    resource.put("telemetry.sdk.version", "1.30.1");
    resource.put("process.pid", 4242L);
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("mastra.span.type", NAMES[index % NAMES.length]);
    attributes.put("mastra.agent.id", "support-agent");
    attributes.put("mastra.thread.id", "thread-" + Long.toHexString(random.nextLong()));
    attributes.put("mastra.resource.id", "user-" + random.nextInt(10_000));
    attributes.put("gen_ai.system", "openai");
    attributes.put("gen_ai.request.model", "gpt-4o-mini");
    attributes.put("gen_ai.request.temperature", 0.7);
    attributes.put("gen_ai.request.max_tokens", 1024L);
    attributes.put("gen_ai.usage.input_tokens", (long) random.nextInt(4_000));
    attributes.put("gen_ai.usage.output_tokens", (long) random.nextInt(1_000));
    attributes.put("gen_ai.response.finish_reasons", List.of("stop"));
    attributes.put("http.request.method", "POST");
    attributes.put("url.full", "https://api.openai.com/v1/chat/completions?trace=" + trace);
    attributes.put("http.response.status_code", 200L);
    attributes.put("llm.cache.hit", random.nextBoolean());
    attributes.put("llm.cost.usd", random.nextDouble() / 100);
    List<SpanEvent> events =
        n % 5 == 0
            ? List.of(
                new SpanEvent(
                    "gen_ai.content.prompt",
                    start + 1_000,
                    Map.of("gen_ai.prompt", "Summarise the customer's last three orders.")))
            : List.of();
    return new Span(
        "acme",
        traceId(trace),
        String.format("%016x", n * 31 + 7),
        index == 0 ? "" : String.format("%016x", (n - index) * 31 + 7),
        NAMES[index % NAMES.length],
        index == 0 ? SpanKind.SERVER : SpanKind.CLIENT,
        start,
        start + 5_000_000L - index * 100_000L,
        n % 50 == 0 ? StatusCode.ERROR : StatusCode.UNSET,
        "",
        service,
        "@mastra/core",
        "0.10.5",
        resource,
        attributes,
        events,
        List.of(),
        0);
  }
}
