package dev.sextant.service.storage;

import dev.sextant.storage.StorageComponent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Opens the store while the service starts (on the main thread, never an event loop), so a store
 * that cannot open fails the start instead of the first request.
 */
@ApplicationScoped
public class StorageStartup {
  void open(@Observes StartupEvent event, StorageComponent storage) {
    storage.capabilities();
  }
}
