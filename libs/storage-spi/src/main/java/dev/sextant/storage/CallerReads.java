package dev.sextant.storage;

import java.util.function.Supplier;

/**
 * Marks work on a thread that waits for its store reads anyway, such as the query service's PromQL
 * workers, which join every {@code Uni} a store returns. A backend whose reads block may run them
 * on such a thread, on subscription, instead of handing them to threads of its own: a read handed
 * over and waited for costs two thread wake-ups, which on a busy machine take longer than a short
 * read itself. A backend may ignore the mark; the answers are the same either way.
 *
 * <p>{@link #runWithin} marks work on a thread that must not wait at all (an event loop trying a
 * small query before handing it to a worker): reads must run here at once, and the work has a time
 * budget. A backend that would have to hand a read over fails it with {@link Abandoned} instead,
 * and long read loops call {@link #checkBudget()}; the work is then given up and run again where it
 * may wait. Only read-only work may run this way, since it can be abandoned half done.
 */
public final class CallerReads {
  private static final ThreadLocal<Mark> MARK = new ThreadLocal<>();

  /** A marked thread: whether it must not wait, and until when its work may run. */
  private record Mark(boolean mustNotWait, long deadlineNanos) {}

  private static final Mark MAY_WAIT = new Mark(false, 0);

  private CallerReads() {}

  /** Runs {@code work} with this thread marked; the mark goes when it returns or throws. */
  public static <T> T run(Supplier<T> work) {
    return runMarked(MAY_WAIT, work);
  }

  /**
   * Runs {@code work} on this thread, which must not wait, for at most about {@code budgetNanos}:
   * throws {@link Abandoned} when a read could not run here at once or the budget ran out.
   */
  public static <T> T runWithin(long budgetNanos, Supplier<T> work) {
    return runMarked(new Mark(true, System.nanoTime() + budgetNanos), work);
  }

  private static <T> T runMarked(Mark mark, Supplier<T> work) {
    Mark outer = MARK.get();
    MARK.set(mark);
    try {
      return work.get();
    } finally {
      if (outer == null) {
        MARK.remove();
      } else {
        MARK.set(outer);
      }
    }
  }

  /** Whether this thread is marked: a backend may run a blocking read on it. */
  public static boolean allowed() {
    return MARK.get() != null;
  }

  /** Whether this thread must not wait: a read that cannot run here at once must fail. */
  public static boolean mustNotWait() {
    Mark mark = MARK.get();
    return mark != null && mark.mustNotWait();
  }

  /** Throws {@link Abandoned} when this thread must not wait and its budget is spent. */
  public static void checkBudget() {
    Mark mark = MARK.get();
    if (mark != null && mark.mustNotWait() && System.nanoTime() - mark.deadlineNanos() > 0) {
      throw Abandoned.INSTANCE;
    }
  }

  /**
   * Work run by {@link #runWithin} was given up: a read would have waited, or the budget ran out.
   * Not an error; the work is to be run again where it may wait. One shared instance, without a
   * stack trace: it is thrown on a fast path, and only its type matters.
   */
  public static final class Abandoned extends RuntimeException {
    private static final Abandoned INSTANCE = new Abandoned();

    private Abandoned() {
      super("abandoned: the work may not wait on this thread", null, false, false);
    }

    /** The one instance. */
    public static Abandoned get() {
      return INSTANCE;
    }
  }
}
