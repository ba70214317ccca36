package dev.sextant.aggregator;

import dev.sextant.model.Feedback;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.Score;
import dev.sextant.storage.Capabilities;
import dev.sextant.storage.CheckResult;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.PayloadStore;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageProvider;
import dev.sextant.storage.StorageSettings;
import dev.sextant.storage.memory.InMemoryStorage;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backend {@code sextant.storage.kind=slow-counting} (tests only): each metric write takes
 * {@link #WRITE_TIME} and is then counted and forgotten, so a test can push millions of points
 * through a store slower than the sender without the store itself holding them in memory.
 */
public final class SlowCountingStorageProvider implements StorageProvider {
  static final Duration WRITE_TIME = Duration.ofMillis(10);
  static final AtomicLong POINTS = new AtomicLong();
  static final AtomicInteger CONCURRENT = new AtomicInteger();
  static final AtomicInteger MAX_CONCURRENT = new AtomicInteger();

  @Override
  public String kind() {
    return "slow-counting";
  }

  @Override
  public Set<String> settingNames() {
    return Set.of();
  }

  @Override
  public StorageComponent create(StorageSettings settings) {
    InMemoryStorage memory = new InMemoryStorage();
    MetricStore metrics =
        new ForwardingMetricStore(memory.metrics()) {
          @Override
          public Uni<Void> write(List<MetricWrite> writes) {
            return Uni.createFrom()
                .voidItem()
                .invoke(
                    () -> MAX_CONCURRENT.accumulateAndGet(CONCURRENT.incrementAndGet(), Math::max))
                .onItem()
                .delayIt()
                .by(WRITE_TIME)
                .invoke(
                    () -> {
                      POINTS.addAndGet(writes.size());
                      CONCURRENT.decrementAndGet();
                    });
          }
        };
    return new StorageComponent() {
      @Override
      public void start() {
        memory.start();
      }

      @Override
      public SpanStore spans() {
        return memory.spans();
      }

      @Override
      public LogStore logs() {
        return memory.logs();
      }

      @Override
      public MetricStore metrics() {
        return metrics;
      }

      @Override
      public PayloadStore payloads() {
        return memory.payloads();
      }

      @Override
      public EventStore<MetricEvent> metricEvents() {
        return memory.metricEvents();
      }

      @Override
      public EventStore<Score> scores() {
        return memory.scores();
      }

      @Override
      public EventStore<Feedback> feedback() {
        return memory.feedback();
      }

      @Override
      public Capabilities capabilities() {
        return memory.capabilities();
      }

      @Override
      public CheckResult check() {
        return memory.check();
      }

      @Override
      public void close() {
        memory.close();
      }
    };
  }
}
