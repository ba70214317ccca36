package dev.sextant.query.prom.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.promql.engine.PromQLException;
import dev.sextant.storage.CallerReads;
import dev.sextant.storage.MetricStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Small queries tried on the event loop first, within a budget, and moved to the pool otherwise.
 */
class QueryExecutorTest {
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final QueryExecutor executor = new QueryExecutor(2, 10, Duration.ofMillis(5), registry);
  private final List<String> ranOn = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    executor.stop();
    vertx.close();
  }

  @Test
  void aSmallQueryIsAnsweredOnTheEventLoopThatReceivedIt() throws Exception {
    String answer = onEventLoop(() -> executor.runSmallHere(store(true), recording(() -> "ok")));

    assertThat(answer).isEqualTo("ok");
    assertThat(ranOn).hasSize(1);
    assertThat(ranOn.getFirst()).startsWith("vert.x-eventloop-thread");
    assertThat(tries("answered")).isEqualTo(1);
    assertThat(tries("moved")).isZero();
  }

  @Test
  void aQueryPastItsBudgetIsGivenUpAndRunAgainOnAPoolThread() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    QueryExecutor tight = new QueryExecutor(2, 10, Duration.ofNanos(1), meters);
    Supplier<String> checking =
        recording(
            () -> {
              CallerReads.checkBudget(); // spent on the event loop; a no-op on the pool thread
              return "done";
            });

    String answer;
    try {
      answer = onEventLoop(() -> tight.runSmallHere(store(true), checking));
    } finally {
      tight.stop();
    }

    assertThat(answer).isEqualTo("done");
    assertThat(ranOn).hasSize(2);
    assertThat(ranOn.get(0)).startsWith("vert.x-eventloop-thread");
    assertThat(ranOn.get(1)).startsWith("promql-");
    assertThat(meters.counter("sextant.promql.event.loop.tries", "outcome", "moved").count())
        .isEqualTo(1);
  }

  @Test
  void aReadThatWouldWaitMovesTheQueryEvenWhenWrappedOnItsWayOut() throws Exception {
    Supplier<String> waiting =
        recording(
            () -> {
              if (CallerReads.mustNotWait()) {
                throw new IllegalStateException("read failed", CallerReads.Abandoned.get());
              }
              return "read";
            });

    assertThat(onEventLoop(() -> executor.runSmallHere(store(true), waiting))).isEqualTo("read");
    assertThat(ranOn).hasSize(2);
    assertThat(ranOn.get(1)).startsWith("promql-");
  }

  @Test
  void theQuerysOwnErrorIsItsAnswerNotAReasonToRunItAgain() {
    Supplier<String> bad =
        recording(
            () -> {
              throw new PromQLException(PromQLException.Type.BAD_DATA, "parse error");
            });

    assertThatThrownBy(() -> onEventLoop(() -> executor.runSmallHere(store(true), bad)))
        .hasRootCauseInstanceOf(PromQLException.class)
        .hasRootCauseMessage("parse error");
    assertThat(ranOn).hasSize(1);
    assertThat(tries("answered")).isEqualTo(1);
  }

  @Test
  void noTryOnAStoreThatAnswersOverTheNetworkOffAnEventLoopOrWithABudgetOfZero() throws Exception {
    onEventLoop(() -> executor.runSmallHere(store(false), recording(() -> "pg")));
    executor.runSmallHere(store(true), recording(() -> "worker")).await().atMost(seconds(30));
    QueryExecutor never = new QueryExecutor(2, 10, Duration.ZERO, new SimpleMeterRegistry());
    try {
      onEventLoop(() -> never.runSmallHere(store(true), recording(() -> "off")));
    } finally {
      never.stop();
    }

    assertThat(ranOn).hasSize(3).allSatisfy(thread -> assertThat(thread).startsWith("promql-"));
    assertThat(tries("answered") + tries("moved")).isZero();
  }

  @Test
  void aNegativeBudgetIsRefusedWithTheSettingsName() {
    assertThatThrownBy(() -> new QueryExecutor(2, 10, Duration.ofMillis(-1), registry))
        .hasMessageContaining("sextant.query.promql.inline-budget must not be negative");
  }

  private <T> Supplier<T> recording(Supplier<T> work) {
    return () -> {
      ranOn.add(Thread.currentThread().getName());
      return work.get();
    };
  }

  /** Subscribes on an event loop, as the HTTP routes do, and waits for the answer. */
  private <T> T onEventLoop(Supplier<Uni<T>> call) throws Exception {
    CompletableFuture<T> answer = new CompletableFuture<>();
    vertx.runOnContext(
        ignored -> call.get().subscribe().with(answer::complete, answer::completeExceptionally));
    return answer.get(30, TimeUnit.SECONDS);
  }

  private double tries(String outcome) {
    return registry.counter("sextant.promql.event.loop.tries", "outcome", outcome).count();
  }

  private static MetricStore store(boolean readsCompleteOnCaller) {
    return (MetricStore)
        Proxy.newProxyInstance(
            MetricStore.class.getClassLoader(),
            new Class<?>[] {MetricStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("readsCompleteOnCaller")) {
                return readsCompleteOnCaller;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static Duration seconds(int n) {
    return Duration.ofSeconds(n);
  }
}
