package dev.sextant.storage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every conformance suite shares: one started storage per test, a way to reopen it, and
 * helpers to wait for results. A backend runs each suite through one nested subclass that
 * implements {@link #newStorage()} and {@link #reopen()}.
 */
public abstract class StorageConformance {

  /** Long enough for a slow CI disk, short enough that a hang fails the test. */
  protected static final Duration TIMEOUT = Duration.ofSeconds(30);

  private StorageComponent storage;

  /**
   * A started storage over this test's place (file, directory, database): empty on the first call
   * of a test, and the same place again on a later call after the test closed the storage.
   */
  protected abstract StorageComponent newStorage();

  /**
   * A started storage over the same place as the last one {@link #newStorage()} returned, which the
   * test has closed. A persistent backend shows the committed data again; a non-persistent one
   * starts empty. By default {@link #newStorage()} again; override it if that gives a new place
   * each time.
   */
  protected StorageComponent reopen() {
    return newStorage();
  }

  @BeforeEach
  final void openStorage() {
    storage = newStorage();
  }

  @AfterEach
  final void closeStorage() {
    if (storage != null) {
      storage.close();
    }
  }

  /** The storage under test. */
  protected final StorageComponent storage() {
    return storage;
  }

  /** Closes the storage under test and replaces it by {@link #reopen()}. */
  protected final StorageComponent closeAndReopen() {
    storage.close();
    storage = null;
    storage = reopen();
    return storage;
  }

  /** The item of a Uni, failing the test when it does not come within {@link #TIMEOUT}. */
  protected static <T> T await(Uni<T> uni) {
    return uni.await().atMost(TIMEOUT);
  }

  /**
   * The failure a Uni delivers. Failures must come through the Uni, not be thrown by the method
   * that returned it, so the caller can handle them like any other asynchronous result.
   */
  protected static StorageException failureOf(Uni<?> uni) {
    Throwable failure = catchThrowable(() -> uni.await().atMost(TIMEOUT));
    assertThat(failure).isInstanceOf(StorageException.class);
    return (StorageException) failure;
  }
}
