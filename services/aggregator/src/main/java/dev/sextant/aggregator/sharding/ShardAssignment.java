package dev.sextant.aggregator.sharding;

import dev.sextant.aggregator.AggregatorConfig;
import dev.sextant.service.sharding.ShardCount;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * This aggregator's shard and the shard count from configuration, and the {@link ShardGate} they
 * make. The count file is polled from startup on; each change reconfigures the gate, and then the
 * gate's user drops its running sums ({@link #onChange}). Bad settings fail the service at startup.
 */
@Singleton
public class ShardAssignment {
  private static final Logger LOG = Logger.getLogger(ShardAssignment.class);
  private static final Pattern ORDINAL = Pattern.compile("-(\\d+)$");

  private final AggregatorConfig.Shard config;
  private final ShardCount count;
  private final ShardGate gate;
  private Runnable onChange = () -> {};

  @Inject
  public ShardAssignment(AggregatorConfig config) {
    this(config.shard(), Optional.ofNullable(System.getenv("HOSTNAME")));
  }

  ShardAssignment(AggregatorConfig.Shard config, Optional<String> hostname) {
    this.config = config;
    this.count =
        ShardCount.open(
            config.countFile().map(Path::of), config.count(), "sextant.aggregator.shard.count");
    if (config.handOverGrace().isNegative()) {
      throw new IllegalArgumentException(
          "sextant.aggregator.shard.hand-over-grace must not be negative, got "
              + config.handOverGrace());
    }
    boolean sharded = count.polled() || count.current() > 1;
    int index = index(config.index(), sharded, hostname);
    this.gate =
        new ShardGate(index, count.current(), config.handOverGrace().toNanos(), System::nanoTime);
    if (sharded) {
      LOG.infof(
          "aggregator shard %d of %d; gained metrics wait %s for their old owner",
          index, count.current(), config.handOverGrace());
    }
  }

  /** The shard: configured, else the host name's ordinal when sharded, else 0. */
  static int index(Optional<Integer> configured, boolean sharded, Optional<String> hostname) {
    if (configured.isPresent()) {
      int index = configured.get();
      if (index < 0 || index >= ShardCount.MAX) {
        throw new IllegalArgumentException(
            "sextant.aggregator.shard.index must be within 0.." + (ShardCount.MAX - 1));
      }
      return index;
    }
    if (!sharded) {
      return 0;
    }
    Matcher ordinal = ORDINAL.matcher(hostname.orElse(""));
    if (!ordinal.find() || ordinal.group(1).length() > 4) {
      throw new IllegalArgumentException(
          "sextant.aggregator.shard.index is not set and the host name '"
              + hostname.orElse("")
              + "' does not end in a StatefulSet ordinal (-N): set the index of this shard");
    }
    return Integer.parseInt(ordinal.group(1));
  }

  public ShardGate gate() {
    return gate;
  }

  /** What to run after the gate took a new shard count: drop the state the old count allowed. */
  public synchronized void onChange(Runnable forget) {
    this.onChange = forget;
  }

  void start(@Observes StartupEvent event) {
    count.watch(config.pollInterval(), this::changed);
  }

  void stop(@Observes ShutdownEvent event) {
    count.close();
  }

  private synchronized void changed(int newCount) {
    if (gate.reconfigure(newCount)) {
      onChange.run();
    }
  }
}
