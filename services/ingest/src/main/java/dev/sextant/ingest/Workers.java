package dev.sextant.ingest;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.concurrent.Executor;

/**
 * The worker pool, through tasks that let go of their work once it has run. A pool thread keeps the
 * last task it ran referenced from its stack while it waits for the next one (a JFR old-object
 * sample under span load on ClickHouse found exports 28 s old, rooted in idle executor threads'
 * stacks). An export's task subscribes its whole pipeline, which holds the records until the commit
 * and keeps holding them once done, so each idle thread kept a 1,000-span export alive in the old
 * generation for as long as it idled.
 */
public final class Workers {
  private Workers() {}

  /** Runs each command once on Mutiny's default worker pool, keeping no reference to it after. */
  public static final Executor POOL = releasing(Infrastructure.getDefaultWorkerPool());

  /** The pool, through tasks that drop their command before running it. */
  static Executor releasing(Executor pool) {
    return command -> pool.execute(new Once(command));
  }

  private static final class Once implements Runnable {
    private Runnable command;

    Once(Runnable command) {
      this.command = command;
    }

    @Override
    public void run() {
      Runnable ran = command;
      command = null;
      ran.run();
    }
  }
}
