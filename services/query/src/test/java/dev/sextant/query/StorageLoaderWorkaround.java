package dev.sextant.query;

import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageProvider;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

/**
 * Test-only workaround for a service-common bug: {@code StorageProducer} finds backends with {@code
 * ServiceLoader.load(StorageProvider.class)}, which uses the thread's context class loader. When a
 * test profile restarts Quarkus in the same JVM, the main thread's context loader at {@link
 * StartupEvent} is not the new application's, and loading fails with "InMemoryStorageProvider not a
 * subtype". This observer runs first and builds the store with the application's class loader as
 * context. Remove it once the producer passes {@code StorageProvider.class.getClassLoader()}.
 */
@ApplicationScoped
public class StorageLoaderWorkaround {
  void openWithTheApplicationsLoader(
      @Observes @Priority(1) StartupEvent event, Instance<StorageComponent> storage) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(StorageProvider.class.getClassLoader());
    try {
      storage.get().capabilities();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
