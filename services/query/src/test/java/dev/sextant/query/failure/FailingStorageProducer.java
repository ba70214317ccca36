package dev.sextant.query.failure;

import dev.sextant.storage.StorageComponent;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Replaces the configured backend with {@link FailingStorage}, only in {@link FailingStoreProfile}.
 */
@Alternative
@Singleton
public class FailingStorageProducer {
  @Produces
  @Singleton
  StorageComponent failingStorage() {
    return new FailingStorage();
  }
}
