package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A task run through {@link Workers#releasing} no longer reaches its work once it has run. */
class WorkersTest {

  /** Runs each task at once and keeps it, as an idle pool thread keeps the last task it ran. */
  private static final class KeepingPool implements Executor {
    final List<Runnable> kept = new ArrayList<>();

    @Override
    public void execute(Runnable task) {
      kept.add(task);
      task.run();
    }
  }

  @Test
  void aTaskKeptAfterItRanNoLongerReachesTheWorkItRan() {
    KeepingPool pool = new KeepingPool();
    WeakReference<byte[]> released = submit(Workers.releasing(pool));
    WeakReference<byte[]> kept = submit(pool);

    assertThat(pool.kept).hasSize(2);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              System.gc();
              return released.get() == null;
            });
    // The pool without the wrapper keeps the work alive: the check above could fail.
    System.gc();
    assertThat(kept.get()).isNotNull();
  }

  /** Runs a command holding a big array through the executor; returns a weak reference to it. */
  private static WeakReference<byte[]> submit(Executor executor) {
    byte[] work = new byte[1 << 20];
    int[] ran = new int[1];
    executor.execute(() -> ran[0] += work.length);
    assertThat(ran[0]).isEqualTo(1 << 20);
    return new WeakReference<>(work);
  }
}
