package dev.sextant.aggregator;

import dev.sextant.aggregator.guardrails.GuardrailSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The metric pipeline's settings. */
@ConfigMapping(prefix = "sextant.aggregator")
public interface AggregatorConfig {

  /**
   * The largest credit window a stream may be configured with; credits are a uint32 on the wire.
   */
  int MAX_CREDIT_WINDOW = 1024;

  /**
   * Batches a sender may have unacknowledged on one stream: the credit granted when the stream
   * opens (DESIGN §2.3). It bounds what the aggregator buffers per stream, and is also how many
   * batches of one stream are written to the store concurrently (the store commits concurrent
   * writes as a group, so a window above 1 raises throughput). 1 to 1024.
   */
  @WithDefault("8")
  int creditWindow();

  /**
   * Points one batch may carry; a larger batch is refused as a whole ({@code INVALID}), so one
   * sender cannot make the aggregator hold an unbounded batch in memory.
   */
  @WithDefault("50000")
  int maxPointsPerBatch();

  /**
   * How long a store write may take before the batch is answered {@code RETRYABLE}. A store that
   * never answers would otherwise hold the stream's credits forever and stall ingest silently. A
   * write that commits after its timeout is harmless: the sender's retry rewrites the same samples,
   * which the store stores once.
   */
  @WithDefault("30s")
  Duration writeTimeout();

  /** Delta-to-cumulative conversion. */
  Delta delta();

  /** Cardinality guardrails (DESIGN §2.7): on by default, every hit counted and reported. */
  GuardrailsConfig guardrails();

  /** Which metrics this aggregator writes when several share the work (ADR 0014). */
  Shard shard();

  interface Shard {
    /**
     * This aggregator's shard, from 0: replica N of the StatefulSet owns shard N. Unset: the number
     * at the end of the host name (a StatefulSet pod is named {@code sextant-aggregator-N}) when
     * the count comes from a file or is above 1, else 0.
     */
    Optional<Integer> index();

    /** The shard count when there is no count file. 1: one aggregator writes every metric. */
    @WithDefault("1")
    int count();

    /**
     * A file holding the shard count, read at startup and again every poll interval (the ConfigMap
     * {@code sextant-shards} mounted as a volume); it wins over {@code count}. At startup an
     * unreadable file or a count outside 1..1024 fails the service; later one keeps the last good
     * count, with a warning.
     */
    Optional<String> countFile();

    /** How often the count file is read again. */
    @WithDefault("5s")
    Duration pollInterval();

    /**
     * How long a metric this shard gains from a count change (or on starting, when there are
     * several shards) is refused as not owned yet, so that its old owner's last writes commit
     * first. Must exceed the time between the first and the last aggregator seeing a change (the
     * kubelet updates a mounted ConfigMap within about a minute, plus the poll interval) plus the
     * write timeout.
     */
    @WithDefault("2m")
    Duration handOverGrace();
  }

  interface Delta {
    /**
     * Running sums kept in memory (delta series, and sources of re-aggregated cumulative series);
     * the least recently used beyond are read back from the store when their series returns.
     */
    @WithDefault("1000000")
    int maxSeries();

    /**
     * A delta point older than its series' running sum by at most this much is added to the sum
     * (another writer of the same series, slightly behind); an older one is refused as out of
     * order.
     */
    @WithDefault("5m")
    Duration lateTolerance();

    /**
     * A running sum not used for this long leaves memory (its series stopped appearing); it is read
     * back from the store if the series returns.
     */
    @WithDefault("1h")
    Duration idleTimeout();
  }

  interface GuardrailsConfig {
    @WithDefault("true")
    boolean enabled();

    /** Active series one tenant may have; a new series beyond goes to its metric's overflow. */
    @WithDefault("200000")
    int maxSeriesPerTenant();

    /** Active series one metric of a tenant may have. */
    @WithDefault("50000")
    int maxSeriesPerMetric();

    /** A series without a point for this long stops counting as active. */
    @WithDefault("1h")
    Duration seriesIdleTimeout();

    /**
     * Labels removed from every series (matched loosely: {@code user_id} also removes {@code
     * userId} and {@code mastra.user_id}); the defaults are the ids Mastra keeps off its metrics.
     */
    @WithDefault("trace_id,span_id,run_id,request_id,user_id,resource_id,session_id,thread_id")
    List<String> deniedLabels();

    /**
     * Per metric name, the only labels kept ({@code
     * sextant.aggregator.guardrails.allowed-labels."http.server.duration"=method,route}).
     */
    Map<String, List<String>> allowedLabels();

    /** Remove labels whose value is a UUID. */
    @WithDefault("true")
    boolean blockUuidValues();

    /** Labels whose UUID values are kept: instance ids are UUIDs by design. */
    @WithDefault("service.instance.id")
    List<String> uuidExemptLabels();

    /** Longer label values are cut to this many characters. */
    @WithDefault("256")
    int maxLabelValueLength();

    default GuardrailSettings settings() {
      Map<String, Set<String>> allowed = new HashMap<>();
      allowedLabels().forEach((metric, labels) -> allowed.put(metric, Set.copyOf(labels)));
      return new GuardrailSettings(
          enabled(),
          maxSeriesPerTenant(),
          maxSeriesPerMetric(),
          seriesIdleTimeout(),
          deniedLabels(),
          allowed,
          blockUuidValues(),
          Set.copyOf(uuidExemptLabels()),
          maxLabelValueLength());
    }
  }
}
