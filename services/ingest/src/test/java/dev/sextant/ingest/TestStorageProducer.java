package dev.sextant.ingest;

import dev.sextant.storage.StorageComponent;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** In tests, the store every bean gets is the fault-injecting in-memory one. */
@Singleton
public class TestStorageProducer {

  @Produces
  @Singleton
  @Alternative
  @Priority(1)
  StorageComponent storage() {
    StorageComponent storage = new FaultInjectingStorage();
    storage.start();
    return storage;
  }

  void close(@Disposes StorageComponent storage) {
    storage.close();
  }
}
