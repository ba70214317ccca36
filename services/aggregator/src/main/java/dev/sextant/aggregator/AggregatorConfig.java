package dev.sextant.aggregator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

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
}
