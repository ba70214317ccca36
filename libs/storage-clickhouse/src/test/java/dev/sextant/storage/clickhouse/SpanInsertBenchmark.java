package dev.sextant.storage.clickhouse;

import dev.sextant.model.Span;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import dev.sextant.storage.testkit.ChdbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Span inserts through the SPI into a real ClickHouse (chDB 26.7 started by {@link ChdbServer}, on
 * the same machine), run by hand (not a unit test):
 *
 * <pre>
 * ./mvnw -o -q -pl libs/storage-clickhouse -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt
 * cd libs/storage-clickhouse
 * java -cp "$(cat target/test-classpath.txt):target/classes:target/test-classes" \
 *     dev.sextant.storage.clickhouse.SpanInsertBenchmark 1000000 rich
 * java ... SpanInsertBenchmark 1000000 bare
 * </pre>
 *
 * <p>Arguments: span count, {@code rich} (16 span and 8 resource attributes of every scalar type,
 * an event on every fifth span, as agents send) or {@code bare} (no attributes, events or links:
 * the "without payloads" size), [batch=10000], [producers=2], [inFlightPerProducer=2]. Prints spans
 * per second (after a warm-up of a tenth) and, after {@code OPTIMIZE FINAL}, the bytes on disk per
 * span of the {@code spans} table and of the trace index.
 */
public final class SpanInsertBenchmark {
  private static final long T0 = 1_767_225_600_000_000_000L;
  private static final int SPANS_PER_TRACE = 10;

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    boolean rich = !(args.length > 1 && args[1].equals("bare"));
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    int producers = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int inFlight = args.length > 4 ? Integer.parseInt(args[4]) : 2;

    Path dir = Files.createTempDirectory("sextant-ch-bench");
    try (ChdbServer server = ChdbServer.start(dir.resolve("data"));
        ClickHouseStorage storage =
            ClickHouseStorage.builder().endpoint(server.endpoint()).database("bench").build()) {
      storage.start();
      int warmup = count / 10;
      write(storage, 0, warmup, batch, producers, inFlight, rich);
      long started = System.nanoTime();
      write(storage, warmup, count, batch, producers, inFlight, rich);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "%s spans: %,d in %.1f s = %,.0f spans/s (batches of %,d, %d producers x %d in flight)%n",
          rich ? "rich" : "bare",
          count - warmup,
          seconds,
          (count - warmup) / seconds,
          batch,
          producers,
          inFlight);
      for (String table : List.of("spans", "trace_index")) {
        ChdbServer.select(server.endpoint(), "OPTIMIZE TABLE bench." + table + " FINAL");
        List<String> size =
            ChdbServer.select(
                server.endpoint(),
                "SELECT sum(bytes_on_disk), sum(data_uncompressed_bytes) FROM system.parts"
                    + " WHERE database = 'bench' AND table = '"
                    + table
                    + "' AND active");
        String[] parts = size.getFirst().split("\t");
        System.out.printf(
            "%s on disk: %,d bytes = %.1f bytes per span (uncompressed %.1f)%n",
            table,
            Long.parseLong(parts[0]),
            Long.parseLong(parts[0]) / (double) count,
            Long.parseLong(parts[1]) / (double) count);
      }
    } finally {
      ChdbServer.removeLater(dir);
    }
  }

  private static void write(
      ClickHouseStorage storage,
      int from,
      int to,
      int batch,
      int producers,
      int inFlight,
      boolean rich)
      throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread thread =
          new Thread(
              () -> {
                Semaphore slots = new Semaphore(inFlight);
                SplittableRandom random = new SplittableRandom(producer);
                for (int start = from + producer * batch; start < to; start += producers * batch) {
                  List<Span> spans = new ArrayList<>(batch);
                  for (int i = start; i < Math.min(start + batch, to); i++) {
                    spans.add(span(i, random, rich));
                  }
                  slots.acquireUninterruptibly();
                  storage
                      .spans()
                      .write(spans)
                      .subscribeAsCompletionStage()
                      .whenComplete(
                          (ok, error) -> {
                            if (error != null) {
                              failure.compareAndSet(null, error);
                            }
                            slots.release();
                          });
                }
                slots.acquireUninterruptibly(inFlight);
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(failure.get());
    }
  }

  private static Span span(int i, SplittableRandom random, boolean rich) {
    long trace = i / SPANS_PER_TRACE;
    int inTrace = i % SPANS_PER_TRACE;
    long start = T0 + trace * 50_000_000L + inTrace * 1_000_000L;
    Map<String, Object> resource = new LinkedHashMap<>();
    Map<String, Object> attributes = new LinkedHashMap<>();
    List<SpanEvent> events = new ArrayList<>();
    if (rich) {
      resource.put("service.name", "agent-" + trace % 8);
      resource.put("service.version", "1.4.2");
      resource.put("deployment.environment", "prod");
      resource.put("host.name", "node-" + trace % 5);
      resource.put("process.pid", 4242L + trace % 5);
      resource.put("telemetry.sdk.name", "opentelemetry");
      resource.put("telemetry.sdk.language", "nodejs");
      resource.put("telemetry.sdk.version", "1.30.0");
      attributes.put("gen_ai.system", "openai");
      attributes.put("gen_ai.request.model", "gpt-4o-mini");
      attributes.put("gen_ai.response.model", "gpt-4o-mini-2024-07-18");
      attributes.put("gen_ai.usage.input_tokens", (long) random.nextInt(4000));
      attributes.put("gen_ai.usage.output_tokens", (long) random.nextInt(800));
      attributes.put("gen_ai.request.temperature", 0.7);
      attributes.put("gen_ai.request.max_tokens", 1024L);
      attributes.put("mastra.agent.name", "support-agent");
      attributes.put("mastra.span.type", inTrace == 0 ? "agent_run" : "llm_generation");
      attributes.put("mastra.run.id", Long.toHexString(random.nextLong()));
      attributes.put("http.method", "POST");
      attributes.put("http.route", "/v1/chat/completions");
      attributes.put("http.status_code", 200L);
      attributes.put("cache.hit", random.nextBoolean());
      attributes.put("retry.count", (long) random.nextInt(3));
      attributes.put("cost.usd", random.nextDouble() / 100);
      if (i % 5 == 0) {
        events.add(
            new SpanEvent(
                "gen_ai.choice", start + 500_000L, Map.of("finish_reason", "stop", "index", 0L)));
      }
    }
    return new Span(
        "default",
        String.format("%016x%016x", 0x5e47a47L, trace),
        String.format("%016x", i + 1L),
        inTrace == 0 ? "" : String.format("%016x", trace * SPANS_PER_TRACE + 1L),
        inTrace == 0 ? "agent.run" : "chat gpt-4o-mini",
        inTrace == 0 ? SpanKind.SERVER : SpanKind.CLIENT,
        start,
        start + 200_000L + random.nextInt(5_000_000),
        i % 50 == 0 ? StatusCode.ERROR : StatusCode.UNSET,
        "",
        "agent-" + trace % 8,
        "@mastra/core",
        "0.10.1",
        resource,
        attributes,
        events,
        List.of(),
        0);
  }
}
