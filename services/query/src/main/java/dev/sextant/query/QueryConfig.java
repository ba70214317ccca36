package dev.sextant.query;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the query service's REST and gRPC reads. */
@ConfigMapping(prefix = "sextant.query")
public interface QueryConfig {

  /** How far back a REST read looks when the request gives no {@code start}. */
  @WithDefault("1h")
  Duration defaultLookback();

  /** Traces a search returns when the request gives no limit (at most TraceQuery.MAX_LIMIT). */
  @WithDefault("20")
  int defaultTraceLimit();

  /** Log records a search returns when the request gives no limit (at most LogQuery.MAX_LIMIT). */
  @WithDefault("100")
  int defaultLogLimit();

  /**
   * The longest text parameter accepted, in characters (selectors, names, substrings, attribute
   * filters). Longer values are refused with a clear error instead of being sent to the store.
   */
  @WithDefault("2048")
  int maxParameterLength();

  /**
   * How deep a trace tree nests in a REST answer. Spans further down are listed at the top level
   * (with their parent id), so a runaway or hostile trace cannot exceed the JSON writer's nesting
   * limit.
   */
  @WithDefault("200")
  int maxTreeDepth();

  /** The PromQL engine behind the Prometheus HTTP API. */
  Promql promql();

  /** Settings of PromQL evaluation, with Prometheus's defaults where it has them. */
  interface Promql {
    /** How far back an instant selector looks for a sample ({@code --query.lookback-delta}). */
    @WithDefault("5m")
    Duration lookbackDelta();

    /** The longest a query may run; a {@code timeout} parameter can only shorten it. */
    @WithDefault("2m")
    Duration timeout();

    /** Samples a query may load or produce before it fails ({@code --query.max-samples}). */
    @WithDefault("50000000")
    long maxSamples();

    /**
     * Queries evaluated at once ({@code --query.max-concurrency}); further ones wait in a queue of
     * {@code max-queued-queries}, beyond which they are refused with 503 and Retry-After.
     */
    @WithDefault("20")
    int maxConcurrency();

    /** Queries waiting for an evaluation thread before new ones are refused. */
    @WithDefault("200")
    int maxQueuedQueries();

    /**
     * How long an instant or range query may run on the event loop that received it before it is
     * handed to an evaluation thread and started again there; 0 hands every query over. Tried only
     * on stores whose reads complete on the calling thread (SQLite, memory), where a small query
     * then costs no thread hand-over; an event loop is blocked for about this long at most.
     */
    @WithDefault("5ms")
    Duration inlineBudget();

    /**
     * How old the list of a tenant's stored metric names may be when a selector on a translated
     * Prometheus name ({@code gen_ai_client_token_usage_total}) looks for the OTLP names behind it:
     * an OTLP metric stored for the first time is found under its Prometheus name at most this much
     * later. Names that need no translation are always found at once.
     */
    @WithDefault("1s")
    Duration nameListingMaxAge();

    /** The largest form body of a POST to the Prometheus API, in bytes. */
    @WithDefault("1048576")
    int maxFormBytes();
  }

  /**
   * Origins allowed to read cross-origin with credentials (Mastra Studio runs on its own port): a
   * comma-separated list of {@code scheme://host:port}, where a port {@code *} allows any port;
   * {@code *} alone allows every origin. The default allows Studio on this machine.
   */
  @WithDefault("http://localhost:*,http://127.0.0.1:*")
  java.util.List<String> corsOrigins();
}
