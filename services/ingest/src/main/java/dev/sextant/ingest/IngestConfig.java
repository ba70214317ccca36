package dev.sextant.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Configuration of the ingest service ({@code sextant.ingest.*}). */
@ConfigMapping(prefix = "sextant.ingest")
public interface IngestConfig {

  /**
   * The largest request accepted, in bytes: an OTLP/HTTP body both as sent and after gzip
   * decompression (a gzip bomb is refused with 413 while it inflates), and an OTLP/gRPC message
   * (application.properties passes it to {@code quarkus.grpc.server.max-inbound-message-size}). 4
   * MiB, gRPC's own default: OTLP exporters batch far below it, and a parsed request takes several
   * times its size on the heap.
   */
  @WithDefault("4194304")
  int maxRequestBytes();

  /**
   * How far in the future a timestamp may lie before the record is rejected: the clock skew
   * tolerated between agents and ingest.
   */
  @WithDefault("1h")
  Duration maxClockSkew();

  Limits limits();

  Admission admission();

  Pipeline pipeline();

  Metrics metrics();

  SpanMetrics spanMetrics();

  Mastra mastra();

  /**
   * The service API key ingest presents to the aggregator ({@code authorization: Bearer ...}), a
   * key of tenant {@code *} with scope {@code ingest}. Unset when the aggregator runs without
   * authentication.
   */
  Optional<String> aggregatorApiKey();

  /**
   * Size limits on attributes (DESIGN §2.7). Each cut is counted on {@code
   * sextant_ingest_truncations_total{signal,reason}} and named in the response's partial success.
   */
  interface Limits {
    /** Whether the limits below apply at all. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Attributes kept per attribute map (span, event, link, log record, resource, metric point);
     * the first ones are kept, the rest are added to {@code droppedAttributesCount}.
     */
    @WithDefault("128")
    int maxAttributesPerRecord();

    /**
     * Longest string attribute value, in UTF-8 bytes; longer values are cut at a character
     * boundary. Also applies to span names and metric label values.
     */
    @WithDefault("16384")
    int maxAttributeValueBytes();

    /**
     * All attribute keys and values of one record together (a span with its events and links, or a
     * log record), in bytes; attributes that no longer fit are dropped.
     */
    @WithDefault("262144")
    int maxAttributeBytesPerRecord();

    /** Longest log body string, in UTF-8 bytes. */
    @WithDefault("65536")
    int maxLogBodyBytes();

    /** Events kept per span; the rest are dropped. */
    @WithDefault("128")
    int maxEventsPerSpan();

    /** Links kept per span; the rest are dropped. */
    @WithDefault("128")
    int maxLinksPerSpan();
  }

  /** Admission control: what keeps memory flat and the store within its declared rate. */
  interface Admission {
    /**
     * Records (spans, log records, metric points) being processed at once, over every request;
     * beyond it requests are answered at once with 429 / RESOURCE_EXHAUSTED. Sized for the 128 MB
     * heap of the local run: a decoded span with its JSON costs a few KB until it is committed, and
     * 20,000 of them (two-thirds of a second at 30k spans/s) fit with room for GC.
     */
    @WithDefault("20000")
    long maxInFlightRecords();

    /**
     * Request bytes (as received) being parsed and processed at once, over every request and both
     * transports. Checked before a request is parsed, because a parsed request takes several times
     * its encoded size: without this bound, many large requests arriving together exhaust the heap
     * before the record bound above can refuse them.
     */
    @WithDefault("8388608")
    long maxInFlightBytes();

    /**
     * A record rate for spans and logs lower than the store's declared safe rate ({@code
     * Capabilities.safeIngestRecordsPerSecond}); the lower of the two applies.
     */
    OptionalLong maxRecordsPerSecond();

    /** How many seconds' worth of the rate a burst may use at once (the token bucket's size). */
    @WithDefault("1")
    double burstSeconds();
  }

  /** The metric stream to the aggregator ({@code quarkus.grpc.clients.aggregator.*}). */
  interface Pipeline {
    /**
     * Batches waiting for a credit from the aggregator; when full, metric exports are answered with
     * 429 / RESOURCE_EXHAUSTED.
     */
    @WithDefault("64")
    int queueCapacity();

    /** Metric points per batch sent to the aggregator; a larger export is split. */
    @WithDefault("5000")
    int maxPointsPerBatch();

    /**
     * How long a batch may wait (queued or unacknowledged) before its export is answered with
     * UNAVAILABLE; an unacknowledged batch that times out also resets the stream.
     */
    @WithDefault("10s")
    Duration ackTimeout();

    /** First delay before reconnecting a broken stream; doubles up to the maximum. */
    @WithDefault("200ms")
    Duration reconnectInitialBackoff();

    /** Longest delay between reconnection attempts. */
    @WithDefault("10s")
    Duration reconnectMaxBackoff();

    /**
     * Series ingest remembers with a ref (the series catalog, ADR 0015): a point of a remembered
     * series is made and sent as its ref, times and value, without its labels. About 0.3 KB of heap
     * per series; when full the catalog starts over (those series are defined once more). 0 turns
     * it off.
     */
    @WithDefault("150000")
    int seriesDictionarySize();

    /** The aggregator shards metric points are routed to (ADR 0014). */
    Shards shards();
  }

  interface Shards {
    /**
     * How many aggregator shards there are when there is no count file. 1: one aggregator, reached
     * through the gRPC client {@code aggregator} ({@code quarkus.grpc.clients.aggregator.*}) unless
     * {@code targets} are set.
     */
    @WithDefault("1")
    int count();

    /**
     * A file holding the shard count, read at startup and again every poll interval (the ConfigMap
     * {@code sextant-shards} mounted as a volume, the same the aggregators read); it wins over
     * {@code count}. At startup an unreadable file or a count outside 1..1024 fails the service;
     * later one keeps the last good count, with a warning.
     */
    Optional<String> countFile();

    /** How often the count file is read again. */
    @WithDefault("5s")
    Duration pollInterval();

    /**
     * Where each shard's aggregator listens ({@code host:port}, plaintext gRPC), in shard order; or
     * one entry with {@code {shard}} in it, replaced by the shard number (in Kubernetes: {@code
     * sextant-aggregator-{shard}.sextant-aggregator:9180}, the StatefulSet pods by their stable
     * names). Required for more than one shard.
     */
    Optional<List<String>> targets();
  }

  /** How OTLP metrics become labelled points. */
  interface Metrics {
    /**
     * Resource attributes copied into every point's labels, beside the point's own attributes (a
     * point attribute of the same name wins). They keep writers of one metric apart (DESIGN §2.4).
     */
    @WithDefault("service.name,service.namespace,service.instance.id")
    List<String> promotedResourceAttributes();
  }

  /**
   * RED metrics derived from every stored span (calls, duration) and, for model calls, token usage
   * by type. Sent to the aggregator after the spans were committed, never holding the spans' answer
   * up: if the aggregator is down or full they are dropped and counted ({@code
   * sextant_ingest_span_metrics_points_total{outcome}}).
   */
  interface SpanMetrics {
    @WithDefault("true")
    boolean enabled();

    /** Bucket bounds of {@code sextant.span.duration}, in seconds. */
    @WithDefault("0.005,0.01,0.025,0.05,0.1,0.25,0.5,1,2.5,5,10,30,60,120,300")
    List<Double> durationBuckets();
  }

  /** Agent telemetry: the Mastra publish API and the Mastra shape of OTLP spans (ADR 0010). */
  interface Mastra {
    /**
     * The longest span input or output kept, in characters (of its JSON); longer ones are cut,
     * marked {@code …[truncated]} and flagged. Payloads live apart from spans, so this bounds the
     * payload store, not trace search.
     */
    @WithDefault("65536")
    int maxPayloadChars();

    /**
     * Whether ingest makes Mastra's own metric events (durations, token totals with cost) of the
     * Mastra spans that arrive over OTLP, which carries no metric events, so Mastra's metric routes
     * and Studio's dashboard work for OTLP-only apps. Turn it off when an app sends both exporters
     * to Sextant, or its metrics would count twice.
     */
    @WithDefault("true")
    boolean eventsFromOtlpSpans();

    /** Whether metric events also become series (histograms and counters) in the aggregator. */
    @WithDefault("true")
    boolean eventMetrics();

    /** Bucket bounds of the histograms made of {@code *_duration_ms} metric events, in ms. */
    @WithDefault("5,10,25,50,100,250,500,1000,2500,5000,10000,30000,60000,120000,300000")
    List<Double> durationBuckets();
  }
}
