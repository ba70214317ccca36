package dev.sextant.query.prom.api;

import dev.sextant.query.QueryConfig;
import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.storage.CallerReads;
import dev.sextant.storage.MetricStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where PromQL runs. A fixed pool of {@code max-concurrency} threads with a bounded queue; a full
 * queue is answered 503 with Retry-After. A query whose subscriber cancels (the client went away)
 * is interrupted, which the engine turns into a cancelled query. The work runs marked with {@link
 * CallerReads}, since it waits for its store reads anyway.
 *
 * <p>A query may first be tried on the event loop that received it ({@link #runSmallHere}): handing
 * it to a pool thread and the answer back costs two thread wake-ups, which on a loaded machine take
 * longer than a small query itself. The try has a budget ({@code inline-budget}) and never waits:
 * when a read would wait or the budget runs out, the work is given up and run again from the start
 * on the pool. Only read-only work is tried so, and only on stores whose reads complete on their
 * caller; an event loop is never blocked for longer than about the budget.
 */
@ApplicationScoped
public class QueryExecutor {
  private final ThreadPoolExecutor pool;
  private final long inlineBudgetNanos;
  private final Counter answeredOnEventLoop;
  private final Counter movedToPool;

  @Inject
  public QueryExecutor(QueryConfig config, MeterRegistry registry) {
    this(
        config.promql().maxConcurrency(),
        config.promql().maxQueuedQueries(),
        config.promql().inlineBudget(),
        registry);
  }

  QueryExecutor(
      int maxConcurrency, int maxQueuedQueries, Duration inlineBudget, MeterRegistry registry) {
    if (inlineBudget.isNegative()) {
      throw new IllegalArgumentException(
          "sextant.query.promql.inline-budget must not be negative, got: " + inlineBudget);
    }
    AtomicInteger count = new AtomicInteger();
    pool =
        new ThreadPoolExecutor(
            maxConcurrency,
            maxConcurrency,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(maxQueuedQueries),
            task ->
                Thread.ofPlatform()
                    .name("promql-" + count.incrementAndGet())
                    .daemon(true)
                    .unstarted(task));
    pool.allowCoreThreadTimeOut(true);
    this.inlineBudgetNanos = inlineBudget.toNanos();
    this.answeredOnEventLoop = tries(registry, "answered");
    this.movedToPool = tries(registry, "moved");
  }

  private static Counter tries(MeterRegistry registry, String outcome) {
    return Counter.builder("sextant.promql.event.loop.tries")
        .description(
            "Queries tried on the event loop first: answered there, or moved to a PromQL thread")
        .tag("outcome", outcome)
        .register(registry);
  }

  /**
   * Read-only work over {@code store}, tried first on this thread when it is an event loop, the
   * budget is not zero and the store's reads complete on their caller; otherwise, or when the try
   * is given up, run on a PromQL thread. The work must be safe to run twice.
   */
  <T> Uni<T> runSmallHere(MetricStore store, Supplier<T> work) {
    if (inlineBudgetNanos > 0 && store.readsCompleteOnCaller() && Context.isOnEventLoopThread()) {
      try {
        T result = CallerReads.runWithin(inlineBudgetNanos, work);
        answeredOnEventLoop.increment();
        return Uni.createFrom().item(result);
      } catch (RuntimeException e) {
        if (!givenUp(e)) {
          // The query's own answer (a PromQL error, a bad parameter): not run again.
          answeredOnEventLoop.increment();
          return Uni.createFrom().failure(e);
        }
        movedToPool.increment();
      }
    }
    return run(work);
  }

  private static boolean givenUp(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CallerReads.Abandoned) {
        return true;
      }
    }
    return false;
  }

  /** Work for a PromQL thread. */
  <T> Uni<T> run(Supplier<T> work) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              AtomicBoolean done = new AtomicBoolean();
              Future<?> future;
              try {
                future =
                    pool.submit(
                        () -> {
                          try {
                            // This thread waits for every store read of the query: the store
                            // may run them here rather than hand them to its own threads.
                            T result = CallerReads.run(work);
                            done.set(true);
                            emitter.complete(result);
                          } catch (Throwable t) {
                            done.set(true);
                            emitter.fail(t);
                          }
                        });
              } catch (RejectedExecutionException e) {
                emitter.fail(
                    RejectedRequestException.overloaded(
                        "too many PromQL queries waiting; retry later"));
                return;
              }
              emitter.onTermination(
                  () -> {
                    if (!done.get()) {
                      future.cancel(true);
                    }
                  });
            });
  }

  @PreDestroy
  void stop() {
    pool.shutdownNow();
  }
}
