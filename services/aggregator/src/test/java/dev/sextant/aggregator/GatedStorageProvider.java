package dev.sextant.aggregator;

import dev.sextant.model.Feedback;
import dev.sextant.model.MetricEvent;
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
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The backend {@code sextant.storage.kind=gated} (tests only, registered through ServiceLoader):
 * the in-memory backend with its metric writes going through {@link WriteGate#INSTANCE}.
 */
public final class GatedStorageProvider implements StorageProvider {

  @Override
  public String kind() {
    return "gated";
  }

  @Override
  public Set<String> settingNames() {
    return Set.of();
  }

  @Override
  public StorageComponent create(StorageSettings settings) {
    StorageProvider memory =
        ServiceLoader.load(StorageProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(provider -> provider.kind().equals("memory"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("the memory backend is not available"));
    StorageComponent delegate = memory.create(new StorageSettings("memory", Map.of()));
    MetricStore gated = WriteGate.INSTANCE.wrap(delegate.metrics());
    return new StorageComponent() {
      @Override
      public void start() {
        delegate.start();
      }

      @Override
      public SpanStore spans() {
        return delegate.spans();
      }

      @Override
      public LogStore logs() {
        return delegate.logs();
      }

      @Override
      public MetricStore metrics() {
        return gated;
      }

      @Override
      public PayloadStore payloads() {
        return delegate.payloads();
      }

      @Override
      public EventStore<MetricEvent> metricEvents() {
        return delegate.metricEvents();
      }

      @Override
      public EventStore<Score> scores() {
        return delegate.scores();
      }

      @Override
      public EventStore<Feedback> feedback() {
        return delegate.feedback();
      }

      @Override
      public Capabilities capabilities() {
        return delegate.capabilities();
      }

      @Override
      public CheckResult check() {
        return delegate.check();
      }

      @Override
      public void close() {
        delegate.close();
      }
    };
  }
}
