package dev.sextant.aggregator;

import dev.sextant.model.MetricWrite;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.StorageException;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds metric writes until a test lets them through, and counts how many were in the store at
 * once: a slow store the test controls, without sleeps. One instance per JVM, because the store is
 * built by the service (through {@link GatedStorageProvider}) and driven by the test.
 */
final class WriteGate {
  static final WriteGate INSTANCE = new WriteGate();

  private final Queue<CompletableFuture<Void>> held = new ConcurrentLinkedQueue<>();
  private final AtomicInteger concurrent = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicReference<StorageException> nextFailure = new AtomicReference<>();
  private volatile boolean open = true;

  private WriteGate() {}

  /** Back to open, nothing held, counters at zero. */
  synchronized void reset() {
    open();
    concurrent.set(0);
    maxConcurrent.set(0);
    nextFailure.set(null);
  }

  /** From now on, writes wait for {@link #releaseOne()} or {@link #open()}. */
  void close() {
    open = false;
  }

  /** Lets every held write through, and every later one. */
  synchronized void open() {
    open = true;
    CompletableFuture<Void> next;
    while ((next = held.poll()) != null) {
      next.complete(null);
    }
  }

  void releaseOne() {
    CompletableFuture<Void> next = held.poll();
    if (next == null) {
      throw new IllegalStateException("no write is held");
    }
    next.complete(null);
  }

  /** Writes waiting at the gate. */
  int held() {
    return held.size();
  }

  /** The most writes that were in the store at the same time since the last reset. */
  int maxConcurrent() {
    return maxConcurrent.get();
  }

  /** The next write fails with this, once through the gate. */
  void failNextWith(StorageException failure) {
    nextFailure.set(failure);
  }

  MetricStore wrap(MetricStore delegate) {
    return new ForwardingMetricStore(delegate) {
      @Override
      public Uni<Void> write(List<MetricWrite> writes) {
        return Uni.createFrom()
            .deferred(
                () -> {
                  maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                  return Uni.createFrom()
                      .completionStage(admission())
                      .chain(
                          () -> {
                            StorageException failure = nextFailure.getAndSet(null);
                            return failure != null
                                ? Uni.createFrom().<Void>failure(failure)
                                : delegate.write(writes);
                          })
                      .onTermination()
                      .invoke(concurrent::decrementAndGet);
                });
      }
    };
  }

  private synchronized CompletableFuture<Void> admission() {
    if (open) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> gate = new CompletableFuture<>();
    held.add(gate);
    return gate;
  }
}
