package dev.sextant.retention;

import dev.sextant.storage.StorageException;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * Waits for a store call on the calling thread (retention's own virtual threads, never an event
 * loop), at most the configured time: a store that never answers fails the step as unavailable.
 */
final class Await {
  private Await() {}

  static <T> T of(Uni<T> uni, Duration timeout) {
    try {
      return uni.await().atMost(timeout);
    } catch (TimeoutException e) {
      throw new StorageException(
          StorageException.Code.UNAVAILABLE, "the store did not answer within " + timeout);
    }
  }
}
