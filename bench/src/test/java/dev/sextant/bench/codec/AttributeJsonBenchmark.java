package dev.sextant.bench.codec;

import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanLink;
import dev.sextant.storage.json.AttributeJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The attribute JSON of one agent span (16 attributes, an event, a link), written and read with the
 * options the SQLite and PostgreSQL stores use. On the span ingest path: every span write encodes
 * its attributes, events and links on the caller's thread. How to run it: bench/README.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AttributeJsonBenchmark {
  @Param({"sqlite", "postgres"})
  public String backend;

  private AttributeJson codec;
  private Map<String, Object> attributes;
  private List<SpanEvent> events;
  private List<SpanLink> links;
  private String attributesJson;
  private String eventsJson;
  private String linksJson;

  @Setup
  public void setUp() {
    codec =
        backend.equals("sqlite")
            ? AttributeJson.STANDARD
            : AttributeJson.STANDARD.escapingNul().markingExponentDoubles(); // as PgJson.JSON
    attributes = spanAttributes();
    events =
        List.of(
            new SpanEvent(
                "gen_ai.content.prompt",
                1_767_225_600_000_001_000L,
                Map.of("gen_ai.prompt", "Summarise the customer's last three orders.")));
    links =
        List.of(
            new SpanLink(
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7",
                Map.of("link.kind", "retry")));
    attributesJson = codec.attributes(attributes);
    eventsJson = codec.events(events);
    linksJson = codec.links(links);
  }

  /** The 16 attributes of SpanStoreBenchmark's agent span: every scalar type and a list. */
  static Map<String, Object> spanAttributes() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("mastra.span.type", "llm.generation");
    a.put("mastra.agent.id", "support-agent");
    a.put("mastra.thread.id", "thread-5f1d3c2b9a8e7d6c");
    a.put("mastra.resource.id", "user-4711");
    a.put("gen_ai.system", "openai");
    a.put("gen_ai.request.model", "gpt-4o-mini");
    a.put("gen_ai.request.temperature", 0.7);
    a.put("gen_ai.request.max_tokens", 1024L);
    a.put("gen_ai.usage.input_tokens", 3127L);
    a.put("gen_ai.usage.output_tokens", 412L);
    a.put("gen_ai.response.finish_reasons", List.of("stop"));
    a.put("http.request.method", "POST");
    a.put("url.full", "https://api.openai.com/v1/chat/completions?trace=123456");
    a.put("http.response.status_code", 200L);
    a.put("llm.cache.hit", true);
    a.put("llm.cost.usd", 0.0041287);
    return a;
  }

  /** A span's attributes, events and links to JSON text, as a span write does. */
  @Benchmark
  public void write(Blackhole out) {
    out.consume(codec.attributes(attributes));
    out.consume(codec.events(events));
    out.consume(codec.links(links));
  }

  /** The same texts back to values, as a trace read does. */
  @Benchmark
  public void read(Blackhole out) {
    out.consume(codec.readAttributes(attributesJson));
    out.consume(codec.readEvents(eventsJson));
    out.consume(codec.readLinks(linksJson));
  }
}
