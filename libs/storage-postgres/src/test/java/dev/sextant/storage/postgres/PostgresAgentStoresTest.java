package dev.sextant.storage.postgres;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sextant.model.SpanPayload;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.testkit.Fixtures;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent stores on PostgreSQL as far as they go: span payloads are stored (an empty one never
 * replaces a stored one, a new start time moves it, retention deletes by start); metric events,
 * scores and feedback are not stored yet and say so instead of acknowledging anything.
 */
class PostgresAgentStoresTest {
  private static final String SCHEMA = "agent";
  private PostgresStorage storage;

  @BeforeEach
  void open() {
    storage = TestStorages.empty(SCHEMA);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void payloadsAreStoredAndAnEmptyOneNeverReplacesAStoredOne() {
    String trace = Fixtures.traceId(1);
    SpanPayload full =
        new SpanPayload(TENANT, trace, Fixtures.spanId(1), T0, "in'put", "out\u0000", true);
    SpanPayload startOnly = new SpanPayload(TENANT, trace, Fixtures.spanId(2), T0, "", "", false);
    await(storage.payloads().write(List.of(full, startOnly)));
    await(
        storage
            .payloads()
            .write(List.of(new SpanPayload(TENANT, trace, Fixtures.spanId(1), T0, "", "", false))));
    assertThat(await(storage.payloads().trace(TENANT, trace)))
        .containsExactlyInAnyOrder(full, startOnly);
    assertThat(await(storage.payloads().trace(Fixtures.OTHER_TENANT, trace))).isEmpty();

    SpanPayload ended =
        new SpanPayload(
            TENANT, trace, Fixtures.spanId(2), T0 + Fixtures.seconds(1), "q", "a", false);
    await(storage.payloads().write(List.of(ended)));
    assertThat(await(storage.payloads().trace(TENANT, trace)))
        .containsExactlyInAnyOrder(full, ended);

    assertThat(await(storage.payloads().deleteOlderThan(T0 + 1))).isEqualTo(1);
    assertThat(await(storage.payloads().trace(TENANT, trace))).containsExactly(ended);
  }

  @Test
  void eventStoresFailLoudlyAndRetentionStillEmptiesThem() {
    for (var store : List.of(storage.metricEvents(), storage.scores(), storage.feedback())) {
      Throwable failure = catchThrowable(() -> await(store.search(EventQuery.all(TENANT, 10))));
      assertThat(failure)
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("not supported");
      assertThat(((StorageException) failure).retryable()).isFalse();
      assertThat(catchThrowable(() -> await(store.names(TENANT, TimeRange.ALL, 10))))
          .isInstanceOf(StorageException.class);
      assertThat(await(store.deleteOlderThan(T0))).isZero();
    }
    assertThat(catchThrowable(() -> await(storage.spans().roots(null))))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("not supported");
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(60));
  }
}
