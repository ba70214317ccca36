package dev.sextant.query.prom.api;

import dev.sextant.query.QueryConfig;
import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.storage.CallerReads;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads PromQL runs on: never an event loop, since the engine blocks on the store. A fixed
 * pool of {@code max-concurrency} threads with a bounded queue; a full queue is answered 503 with
 * Retry-After. A query whose subscriber cancels (the client went away) is interrupted, which the
 * engine turns into a cancelled query. The work runs marked with {@link CallerReads}, since it
 * waits for its store reads anyway.
 */
@ApplicationScoped
public class QueryExecutor {
  private final ThreadPoolExecutor pool;

  @Inject
  public QueryExecutor(QueryConfig config) {
    QueryConfig.Promql promql = config.promql();
    AtomicInteger count = new AtomicInteger();
    pool =
        new ThreadPoolExecutor(
            promql.maxConcurrency(),
            promql.maxConcurrency(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(promql.maxQueuedQueries()),
            task ->
                Thread.ofPlatform()
                    .name("promql-" + count.incrementAndGet())
                    .daemon(true)
                    .unstarted(task));
    pool.allowCoreThreadTimeOut(true);
  }

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
