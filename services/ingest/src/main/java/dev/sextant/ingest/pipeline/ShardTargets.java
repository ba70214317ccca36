package dev.sextant.ingest.pipeline;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each aggregator shard listens: the configured targets ({@code
 * sextant.ingest.pipeline.shards.targets}), one channel per shard opened when first needed, or,
 * without targets, the one channel of the gRPC client {@code aggregator}, for a single shard.
 */
final class ShardTargets implements AutoCloseable {
  static final String SHARD = "{shard}";

  private final List<String> targets;
  private final boolean pattern;
  private final Channel single;
  private final Map<Integer, ManagedChannel> opened = new HashMap<>();

  ShardTargets(List<String> targets, Channel single) {
    for (String target : targets) {
      if (target.isBlank()) {
        throw new IllegalArgumentException(
            "sextant.ingest.pipeline.shards.targets has an empty entry: " + targets);
      }
    }
    this.pattern = targets.stream().anyMatch(target -> target.contains(SHARD));
    if (pattern && targets.size() > 1) {
      throw new IllegalArgumentException(
          "sextant.ingest.pipeline.shards.targets is either one entry with "
              + SHARD
              + " or one host:port per shard, not both: "
              + targets);
    }
    this.targets = List.copyOf(targets);
    this.single = single;
  }

  /** Why {@code count} shards cannot be reached, or null when they can. */
  String problem(int count) {
    if (targets.isEmpty()) {
      return count == 1
          ? null
          : count
              + " aggregator shards need sextant.ingest.pipeline.shards.targets (one host:port per"
              + " shard, or one with "
              + SHARD
              + ")";
    }
    if (!pattern && targets.size() < count) {
      return count
          + " aggregator shards, but sextant.ingest.pipeline.shards.targets names "
          + targets.size();
    }
    return null;
  }

  /** The shard's aggregator, for messages. */
  String peer(int shard) {
    return targets.isEmpty()
        ? "the aggregator"
        : "aggregator shard " + shard + " (" + target(shard) + ")";
  }

  synchronized Channel channel(int shard) {
    if (targets.isEmpty()) {
      return single;
    }
    return opened.computeIfAbsent(
        shard, s -> ManagedChannelBuilder.forTarget(target(s)).usePlaintext().build());
  }

  /** Closes the channel of a shard that is gone. */
  synchronized void release(int shard) {
    ManagedChannel channel = opened.remove(shard);
    if (channel != null) {
      channel.shutdown();
    }
  }

  @Override
  public synchronized void close() {
    opened.values().forEach(ManagedChannel::shutdown);
    opened.clear();
  }

  private String target(int shard) {
    return pattern ? targets.get(0).replace(SHARD, Integer.toString(shard)) : targets.get(shard);
  }
}
