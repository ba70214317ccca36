package dev.sextant.storage;

import java.util.function.Supplier;

/**
 * Marks work on a thread that waits for its store reads anyway, such as the query service's PromQL
 * workers, which join every {@code Uni} a store returns. A backend whose reads block may run them
 * on such a thread, on subscription, instead of handing them to threads of its own: a read handed
 * over and waited for costs two thread wake-ups, which on a busy machine take longer than a short
 * read itself. A backend may ignore the mark; the answers are the same either way. Only for threads
 * that may block: never an event loop.
 */
public final class CallerReads {
  private static final ThreadLocal<Boolean> ALLOWED = new ThreadLocal<>();

  private CallerReads() {}

  /** Runs {@code work} with this thread marked; the mark goes when it returns or throws. */
  public static <T> T run(Supplier<T> work) {
    Boolean outer = ALLOWED.get();
    ALLOWED.set(Boolean.TRUE);
    try {
      return work.get();
    } finally {
      if (outer == null) {
        ALLOWED.remove();
      } else {
        ALLOWED.set(outer);
      }
    }
  }

  /** Whether this thread is marked: a backend may run a blocking read on it. */
  public static boolean allowed() {
    return ALLOWED.get() != null;
  }
}
