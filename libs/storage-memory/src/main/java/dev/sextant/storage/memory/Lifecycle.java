package dev.sextant.storage.memory;

import dev.sextant.storage.StorageException;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/** Whether the storage is started, open or closed; every operation asks first. */
final class Lifecycle {
  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private volatile State state = State.NEW;

  synchronized void start() {
    if (state == State.CLOSED) {
      throw new StorageException(StorageException.Code.UNAVAILABLE, "memory storage is closed");
    }
    state = State.STARTED;
  }

  synchronized void close() {
    state = State.CLOSED;
  }

  void requireOpen() {
    switch (state) {
      case STARTED -> {}
      case NEW ->
          throw new StorageException(
              StorageException.Code.UNAVAILABLE, "memory storage is not started");
      case CLOSED ->
          throw new StorageException(StorageException.Code.UNAVAILABLE, "memory storage is closed");
    }
  }

  /** A Uni that runs {@code operation} on subscription, once the storage is open. */
  <T> Uni<T> run(Supplier<T> operation) {
    return Uni.createFrom()
        .item(
            () -> {
              requireOpen();
              return operation.get();
            });
  }
}
