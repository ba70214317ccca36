package dev.sextant.storage.postgres;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.MastraAttributes;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Span;
import dev.sextant.model.SpanPayload;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.SpanBuilder;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent stores on PostgreSQL beyond the conformance suite: span payloads (an empty one never
 * replaces a stored one, a new start time moves it, retention deletes by start), events with
 * hostile text and a changed time, the running-span rule within a batch and across start times.
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
  void eventsKeepEveryFieldHostileTextAndMoveWhenTheirTimeChanges() {
    Correlation correlation =
        new Correlation(
            Map.of(
                Correlation.ENTITY_NAME,
                "a\u0000'; DROP TABLE scores; --",
                Correlation.RUN_ID,
                "r"),
            List.of("z\uE000", "a"));
    MetricEvent first =
        new MetricEvent(
            TENANT,
            "id\u0000",
            T0,
            "tokens",
            -0.0,
            Map.of("k\u0000", "", "model", "x"),
            "",
            "",
            correlation,
            new Cost("p", "m", null, "", ""),
            "{\"a\":1}");
    MetricEvent moved =
        new MetricEvent(
            TENANT,
            "id\u0000",
            T0 + Fixtures.seconds(86_400 * 3),
            "tokens",
            2,
            null,
            null,
            null,
            correlation,
            null,
            null);
    await(storage.metricEvents().write(List.of(first)));
    assertThat(await(storage.metricEvents().search(EventQuery.all(TENANT, 10))))
        .containsExactly(first);
    EventQuery hostile =
        new EventQuery(
            TENANT,
            null,
            Set.of("tokens"),
            null,
            null,
            Map.of(Correlation.ENTITY_NAME, "a\u0000'; DROP TABLE scores; --"),
            List.of("z\uE000"),
            Map.of("k\u0000", ""),
            false,
            10);
    assertThat(await(storage.metricEvents().search(hostile))).containsExactly(first);
    EventQuery notAnId =
        new EventQuery(
            TENANT, null, null, Set.of("' OR 1=1 --"), null, null, null, null, false, 10);
    assertThat(await(storage.metricEvents().search(notAnId))).isEmpty();
    EventQuery labelsOnScores =
        new EventQuery(TENANT, null, null, null, null, null, null, Map.of("a", "b"), false, 10);
    assertThat(await(storage.scores().search(labelsOnScores))).isEmpty();

    await(storage.metricEvents().write(List.of(moved, moved)));
    assertThat(await(storage.metricEvents().search(EventQuery.all(TENANT, 10))))
        .containsExactly(moved);
    assertThat(TestStorages.count(storage, "SELECT count(*) FROM metric_events")).isEqualTo(1);
    assertThat(await(storage.metricEvents().names(TENANT, TimeRange.ALL, 10)))
        .containsExactly("tokens");
    assertThat(await(storage.metricEvents().names(Fixtures.OTHER_TENANT, TimeRange.ALL, 10)))
        .isEmpty();
  }

  @Test
  void aRunningRecordNeverReplacesAnEndedOneWithinABatchOrUnderAnotherStart() {
    String trace = Fixtures.traceId(7);
    Span ended = SpanBuilder.span(trace, Fixtures.spanId(7)).start(T0).duration(5).build();
    Span running =
        SpanBuilder.span(trace, Fixtures.spanId(7))
            .start(T0 + 1)
            .duration(0)
            .attribute(MastraAttributes.RUNNING, true)
            .build();
    await(storage.spans().write(List.of(ended, running)));
    assertThat(await(storage.spans().trace(TENANT, trace))).containsExactly(ended);
    await(storage.spans().write(List.of(running)));
    assertThat(await(storage.spans().trace(TENANT, trace))).containsExactly(ended);

    Span otherRunning =
        SpanBuilder.span(trace, Fixtures.spanId(8))
            .start(T0)
            .duration(0)
            .attribute(MastraAttributes.RUNNING, true)
            .build();
    Span otherEnded = SpanBuilder.span(trace, Fixtures.spanId(8)).start(T0 + 2).duration(9).build();
    await(storage.spans().write(List.of(otherRunning)));
    await(storage.spans().write(List.of(otherEnded)));
    assertThat(await(storage.spans().trace(TENANT, trace))).containsExactly(ended, otherEnded);
  }

  @Test
  void aBadRootCursorIsRefused() {
    RootQuery query =
        new RootQuery(
            TENANT,
            null,
            null,
            null,
            null,
            null,
            new RootQuery.Cursor(T0, "' OR 1=1", Fixtures.spanId(1)),
            false,
            10);
    Throwable failure = catchThrowable(() -> await(storage.spans().roots(query)));
    assertThat(failure).isInstanceOf(StorageException.class);
    assertThat(((StorageException) failure).code())
        .isEqualTo(StorageException.Code.INVALID_ARGUMENT);
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(60));
  }
}
