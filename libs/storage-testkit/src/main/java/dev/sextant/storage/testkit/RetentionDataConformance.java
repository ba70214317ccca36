package dev.sextant.storage.testkit;

import static dev.sextant.storage.testkit.Fixtures.OTHER_TENANT;
import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static dev.sextant.storage.testkit.Fixtures.spanId;
import static dev.sextant.storage.testkit.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Span;
import dev.sextant.model.SpanPayload;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionStore;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.retention.SignalSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Retention's operations on spans and logs: deletion at the cutoff boundary, within one tenant,
 * narrowed by service, environment and entity with exclusions, in bounded idempotent steps; the
 * histogram that predicts exactly what a deletion removes; the oldest row; the size that shrinks.
 * Span payloads and Mastra metric events alike, on a backend that offers them to retention (a
 * payload narrowed by its span's fields, an event by its labels); one that does not refuses them.
 */
public abstract class RetentionDataConformance extends StorageConformance {
  private static final long DAY = seconds(86_400);
  private static final long HOUR = seconds(3_600);

  private RetentionStore retention() {
    return storage().retention();
  }

  private static Span span(String tenant, long n, long start, String service, String env) {
    SpanBuilder span =
        SpanBuilder.span(tenant, traceId(n), spanId(n)).start(start).service(service);
    if (env != null) {
      span.resource(RetentionSelector.ENVIRONMENT, env);
    }
    return span.build();
  }

  private static LogRecord log(String tenant, long time, String service, String env) {
    LogBuilder log = LogBuilder.log(tenant, time).service(service).body("line at " + time);
    if (env != null) {
      log.resource(RetentionSelector.ENVIRONMENT_LEGACY, env);
    }
    return log.build();
  }

  private List<Span> spansOf(String tenant) {
    List<Span> all = new ArrayList<>();
    for (long n = 0; n < 1_000; n++) {
      all.addAll(await(storage().spans().trace(tenant, traceId(n))));
    }
    return all;
  }

  private List<LogRecord> logsOf(String tenant) {
    return await(
        storage()
            .logs()
            .search(
                new LogQuery(
                    tenant, TimeRange.ALL, null, null, null, null, null, LogQuery.MAX_LIMIT)));
  }

  @Test
  void spansBeforeTheCutoffGoAndNotOneAtIt() {
    long cutoff = T0 + 3 * DAY;
    await(
        storage()
            .spans()
            .write(
                List.of(
                    span(TENANT, 1, cutoff - 1, "api", null),
                    span(TENANT, 2, cutoff, "api", null),
                    span(TENANT, 3, cutoff + 1, "api", null),
                    span(TENANT, 4, T0, "api", null),
                    span(OTHER_TENANT, 5, T0, "api", null))));

    Deleted deleted =
        await(retention().deleteBefore(RowSet.all(RetentionSignal.SPANS, TENANT), cutoff, 1_000));

    assertThat(deleted.rows()).isEqualTo(2);
    assertThat(deleted.bytes()).isPositive();
    assertThat(deleted.more()).isFalse();
    assertThat(deleted.cutoffUnixNanos()).isEqualTo(cutoff);
    assertThat(spansOf(TENANT).stream().map(Span::startTimeUnixNanos))
        .containsExactlyInAnyOrder(cutoff, cutoff + 1);
    assertThat(spansOf(OTHER_TENANT)).as("another tenant's span, as old").hasSize(1);
    assertThat(
            await(
                    retention()
                        .deleteBefore(RowSet.all(RetentionSignal.SPANS, TENANT), cutoff, 1_000))
                .rows())
        .as("idempotent")
        .isZero();
  }

  @Test
  void logsBeforeTheCutoffGoWithinTheirTenant() {
    long cutoff = T0 + DAY;
    await(
        storage()
            .logs()
            .write(
                List.of(
                    log(TENANT, cutoff - 1, "api", null),
                    log(TENANT, cutoff, "api", null),
                    log(OTHER_TENANT, cutoff - 1, "api", null))));

    Deleted deleted =
        await(retention().deleteBefore(RowSet.all(RetentionSignal.LOGS, TENANT), cutoff, 1_000));

    assertThat(deleted.rows()).isEqualTo(1);
    assertThat(logsOf(TENANT).stream().map(LogRecord::timeUnixNanos)).containsExactly(cutoff);
    assertThat(logsOf(OTHER_TENANT)).hasSize(1);
  }

  @Test
  void selectorsNarrowByServiceAndEnvironmentAndExclusionsKeepWhatOthersGovern() {
    long old = T0;
    await(
        storage()
            .spans()
            .write(
                List.of(
                    span(TENANT, 1, old, "checkout", "prod"),
                    span(TENANT, 2, old, "checkout", "staging"),
                    span(TENANT, 3, old, "search", "prod"),
                    span(TENANT, 4, old, "search", null))));
    await(
        storage()
            .logs()
            .write(
                List.of(
                    log(TENANT, old, "checkout", "prod"),
                    log(TENANT, old + 1, "checkout", "staging"),
                    log(TENANT, old + 2, "search", "prod"))));
    RetentionSelector prod = new RetentionSelector(null, "prod", null, null);
    RetentionSelector checkout = new RetentionSelector("checkout", null, null, null);

    // prod, except what a checkout policy governs: span 3 only.
    RowSet prodButCheckout = new RowSet(RetentionSignal.SPANS, TENANT, prod, List.of(checkout));
    assertThat(await(retention().deleteBefore(prodButCheckout, old + 1, 100)).rows()).isOne();
    assertThat(spansOf(TENANT).stream().map(Span::spanId))
        .containsExactlyInAnyOrder(spanId(1), spanId(2), spanId(4));

    // The legacy environment key counts as well (logs carry deployment.environment).
    assertThat(
            await(
                    retention()
                        .deleteBefore(
                            new RowSet(RetentionSignal.LOGS, TENANT, prod, List.of()),
                            old + 10,
                            100))
                .rows())
        .isEqualTo(2);
    assertThat(logsOf(TENANT).stream().map(LogRecord::serviceName)).containsExactly("checkout");
    assertThat(logsOf(TENANT).getFirst().timeUnixNanos()).isEqualTo(old + 1);
  }

  @Test
  void entitiesAreTheRecordsOwnAttributes() {
    await(
        storage()
            .spans()
            .write(
                List.of(
                    SpanBuilder.span(TENANT, traceId(1), spanId(1))
                        .start(T0)
                        .attribute(RetentionSelector.ENTITY_TYPE, "agent")
                        .attribute(RetentionSelector.ENTITY_NAME, "support-bot")
                        .build(),
                    SpanBuilder.span(TENANT, traceId(1), spanId(2))
                        .start(T0)
                        .attribute(RetentionSelector.ENTITY_TYPE, "tool")
                        .attribute(RetentionSelector.ENTITY_NAME, "support-bot")
                        .build(),
                    SpanBuilder.span(TENANT, traceId(1), spanId(3))
                        .start(T0)
                        .resource(RetentionSelector.ENTITY_NAME, "support-bot")
                        .build())));
    RowSet agent =
        new RowSet(
            RetentionSignal.SPANS,
            TENANT,
            new RetentionSelector(null, null, "agent", "support-bot"),
            List.of());
    assertThat(await(retention().deleteBefore(agent, T0 + 1, 100)).rows()).isOne();
    assertThat(spansOf(TENANT).stream().map(Span::spanId))
        .containsExactlyInAnyOrder(spanId(2), spanId(3));
  }

  @Test
  void deletionGoesInBoundedStepsUntilNothingIsLeft() {
    List<Span> batch = new ArrayList<>();
    for (long n = 0; n < 250; n++) {
      batch.add(span(TENANT, n, T0 + n, "api", null));
    }
    await(storage().spans().write(batch));
    RowSet all = RowSet.all(RetentionSignal.SPANS, TENANT);

    long total = 0;
    int calls = 0;
    Deleted step;
    do {
      step = await(retention().deleteBefore(all, T0 + 200, 60));
      assertThat(step.rows()).isLessThanOrEqualTo(60 + 60);
      total += step.rows();
      calls++;
    } while (step.more() && calls < 100);

    assertThat(total).isEqualTo(200);
    assertThat(calls).isGreaterThan(1);
    assertThat(spansOf(TENANT)).hasSize(50);
  }

  @Test
  void theHistogramPredictsExactlyWhatADeletionRemoves() {
    List<Span> spans = new ArrayList<>();
    List<LogRecord> logs = new ArrayList<>();
    for (long n = 0; n < 60; n++) {
      long time = T0 + n * 2 * HOUR; // five days
      spans.add(span(TENANT, n, time, n % 2 == 0 ? "api" : "worker", null));
      logs.add(log(TENANT, time, "api", null));
    }
    await(storage().spans().write(spans));
    await(storage().logs().write(logs));
    long cutoff = T0 + 3 * DAY;

    for (RetentionSignal signal : List.of(RetentionSignal.SPANS, RetentionSignal.LOGS)) {
      RowSet set = RowSet.all(signal, TENANT);
      List<Bucket> days = await(retention().histogram(set, cutoff, DAY));
      assertThat(days.stream().map(Bucket::startUnixNanos))
          .containsExactly(T0, T0 + DAY, T0 + 2 * DAY);
      assertThat(days).allSatisfy(day -> assertThat(day.rows()).isEqualTo(12));
      assertThat(days).allSatisfy(day -> assertThat(day.bytes()).isPositive());
      List<Bucket> all = await(retention().histogram(set, Long.MAX_VALUE, DAY));
      assertThat(all).hasSize(5);

      Deleted deleted = await(retention().deleteBefore(set, cutoff, 10_000));
      assertThat(deleted.rows()).isEqualTo(36);
      assertThat(deleted.bytes()).isEqualTo(days.stream().mapToLong(Bucket::bytes).sum());
      assertThat(await(retention().histogram(set, cutoff, DAY))).isEmpty();
    }
  }

  @Test
  void theOldestRowAndTheTenantsAreFound() {
    await(
        storage()
            .spans()
            .write(
                List.of(
                    span(TENANT, 1, T0 + 500, "api", null),
                    span(TENANT, 2, T0 + 100, "worker", null),
                    span(OTHER_TENANT, 3, T0, "api", null))));
    assertThat(await(retention().oldest(RowSet.all(RetentionSignal.SPANS, TENANT))))
        .isEqualTo(OptionalLong.of(T0 + 100));
    assertThat(
            await(
                retention()
                    .oldest(
                        new RowSet(
                            RetentionSignal.SPANS,
                            TENANT,
                            new RetentionSelector("api", null, null, null),
                            List.of()))))
        .isEqualTo(OptionalLong.of(T0 + 500));
    assertThat(await(retention().oldest(RowSet.all(RetentionSignal.LOGS, TENANT)))).isEmpty();
    assertThat(await(retention().tenants(RetentionSignal.SPANS)))
        .containsExactly(TENANT, OTHER_TENANT);
    assertThat(await(retention().tenants(RetentionSignal.LOGS))).isEmpty();
  }

  @Test
  void theSizeShrinksWhenRowsGoAndRoomIsReclaimed() {
    List<LogRecord> logs = new ArrayList<>();
    String line = "x".repeat(2_000);
    for (long n = 0; n < 2_000; n++) {
      logs.add(LogBuilder.log(TENANT, T0 + n).service("api").body(line + n).build());
    }
    await(storage().logs().write(logs));
    SignalSize before = await(retention().size(RetentionSignal.LOGS));
    assertThat(before.bytes()).isGreaterThan(2_000L * 2_000);

    await(retention().deleteBefore(RowSet.all(RetentionSignal.LOGS, TENANT), T0 + 1_800, 100_000));
    await(retention().reclaim(RetentionSignal.LOGS));

    SignalSize after = await(retention().size(RetentionSignal.LOGS));
    assertThat(after.bytes()).isLessThan(before.bytes() / 4);
    assertThat(after.freeBytes()).isLessThan(before.bytes() / 4);
  }

  // ------------------------------------------------------------------ payloads and Mastra events

  /**
   * Whether the backend offers the signal to retention's policies; one that does not must refuse it
   * by name (then the retention service deletes it for every tenant at once through the signal's
   * own store), and that is all a test of the signal asks of it.
   */
  private boolean offered(RetentionSignal signal) {
    if (retention().signals().contains(signal)) {
      return true;
    }
    StorageException refused =
        failureOf(retention().deleteBefore(RowSet.all(signal, TENANT), T0, 100));
    assertThat(refused.code()).isEqualTo(StorageException.Code.INVALID_ARGUMENT);
    assertThat(refused.getMessage()).contains(signal.jsonName());
    return false;
  }

  private static SpanPayload payload(String tenant, long n, long start) {
    return new SpanPayload(
        tenant, traceId(n), spanId(n), start, "input " + n, "output " + n, false);
  }

  private List<String> payloadSpansOf(String tenant) {
    List<String> spans = new ArrayList<>();
    for (long n = 0; n < 10; n++) {
      await(storage().payloads().trace(tenant, traceId(n))).forEach(p -> spans.add(p.spanId()));
    }
    return spans;
  }

  private static MetricEvent event(
      String tenant, String id, long time, Map<String, String> labels) {
    return new MetricEvent(
        tenant, id, time, "agent_duration_ms", 12.5, labels, null, null, null, null, null);
  }

  private List<String> eventsOf(String tenant) {
    return await(storage().metricEvents().search(EventQuery.all(tenant, 100))).stream()
        .map(MetricEvent::id)
        .toList();
  }

  @Test
  void spanPayloadsGoByTheirSpansStartWithinTheirTenant() {
    if (!offered(RetentionSignal.SPAN_PAYLOADS)) {
      return;
    }
    long cutoff = T0 + HOUR;
    await(
        storage()
            .payloads()
            .write(
                List.of(
                    payload(TENANT, 1, cutoff - 1),
                    payload(TENANT, 2, cutoff),
                    payload(OTHER_TENANT, 3, T0))));
    RowSet set = RowSet.all(RetentionSignal.SPAN_PAYLOADS, TENANT);

    List<Bucket> hours = await(retention().histogram(set, Long.MAX_VALUE, HOUR));
    assertThat(hours.stream().map(Bucket::startUnixNanos)).containsExactly(T0, T0 + HOUR);
    assertThat(hours).allSatisfy(hour -> assertThat(hour.rows()).isOne());
    assertThat(await(retention().oldest(set))).isEqualTo(OptionalLong.of(cutoff - 1));
    assertThat(await(retention().tenants(RetentionSignal.SPAN_PAYLOADS)))
        .containsExactly(TENANT, OTHER_TENANT);

    Deleted deleted = await(retention().deleteBefore(set, cutoff, 1_000));
    assertThat(deleted.rows()).isOne();
    assertThat(deleted.bytes()).isEqualTo(hours.getFirst().bytes()).isPositive();
    assertThat(payloadSpansOf(TENANT)).containsExactly(spanId(2));
    assertThat(payloadSpansOf(OTHER_TENANT)).containsExactly(spanId(3));
    assertThat(await(retention().deleteBefore(set, cutoff, 1_000)).rows()).isZero();
    assertThat(await(retention().size(RetentionSignal.SPAN_PAYLOADS)).bytes()).isPositive();
  }

  /** A payload is selected by its span's fields; one whose span is not stored has none. */
  @Test
  void spanPayloadsAreNarrowedAsTheirSpans() {
    if (!offered(RetentionSignal.SPAN_PAYLOADS)) {
      return;
    }
    await(
        storage()
            .spans()
            .write(
                List.of(
                    span(TENANT, 1, T0, "checkout", "prod"),
                    span(TENANT, 2, T0, "search", "prod"))));
    await(
        storage()
            .payloads()
            .write(
                List.of(payload(TENANT, 1, T0), payload(TENANT, 2, T0), payload(TENANT, 3, T0))));
    RetentionSelector checkout = new RetentionSelector("checkout", null, null, null);
    RetentionSelector prod = new RetentionSelector(null, "prod", null, null);

    RowSet ofCheckout = new RowSet(RetentionSignal.SPAN_PAYLOADS, TENANT, checkout, List.of());
    assertThat(await(retention().deleteBefore(ofCheckout, T0 + 1, 100)).rows()).isOne();
    assertThat(payloadSpansOf(TENANT)).containsExactlyInAnyOrder(spanId(2), spanId(3));

    // Everything but what a prod policy governs: the payload without a stored span.
    RowSet butProd =
        new RowSet(RetentionSignal.SPAN_PAYLOADS, TENANT, RetentionSelector.ANY, List.of(prod));
    assertThat(await(retention().histogram(butProd, T0 + 1, HOUR)))
        .singleElement()
        .satisfies(bucket -> assertThat(bucket.rows()).isOne());
    assertThat(await(retention().deleteBefore(butProd, T0 + 1, 100)).rows()).isOne();
    assertThat(payloadSpansOf(TENANT)).containsExactly(spanId(2));
  }

  /** A Mastra metric event is selected by its labels, read as a metric series' labels. */
  @Test
  void metricEventsGoByTheirTimeWithinTheirTenantAndAsTheirLabelsSay() {
    if (!offered(RetentionSignal.METRIC_EVENTS)) {
      return;
    }
    long cutoff = T0 + HOUR;
    await(
        storage()
            .metricEvents()
            .write(
                List.of(
                    event(
                        TENANT,
                        "agent",
                        T0,
                        Map.of(
                            RetentionSelector.SERVICE_LABEL, "checkout", "entity_type", "agent")),
                    event(
                        TENANT,
                        "search",
                        T0 + 1,
                        Map.of(RetentionSelector.SERVICE_LABEL, "search")),
                    event(TENANT, "at-cutoff", cutoff, Map.of()),
                    event(OTHER_TENANT, "other", T0, Map.of()))));
    RowSet agents =
        new RowSet(
            RetentionSignal.METRIC_EVENTS,
            TENANT,
            new RetentionSelector(null, null, "agent", null),
            List.of());
    assertThat(await(retention().deleteBefore(agents, cutoff, 100)).rows()).isOne();
    assertThat(eventsOf(TENANT)).containsExactlyInAnyOrder("search", "at-cutoff");

    RowSet set = RowSet.all(RetentionSignal.METRIC_EVENTS, TENANT);
    assertThat(await(retention().oldest(set))).isEqualTo(OptionalLong.of(T0 + 1));
    assertThat(await(retention().tenants(RetentionSignal.METRIC_EVENTS)))
        .containsExactly(TENANT, OTHER_TENANT);
    List<Bucket> before = await(retention().histogram(set, cutoff, HOUR));
    assertThat(before)
        .singleElement()
        .satisfies(bucket -> assertThat(bucket.startUnixNanos()).isEqualTo(T0));
    Deleted deleted = await(retention().deleteBefore(set, cutoff, 100));
    assertThat(deleted.rows()).isEqualTo(before.getFirst().rows()).isOne();
    assertThat(deleted.bytes()).isEqualTo(before.getFirst().bytes()).isPositive();
    assertThat(eventsOf(TENANT)).containsExactly("at-cutoff");
    assertThat(eventsOf(OTHER_TENANT)).containsExactly("other");
    assertThat(await(retention().size(RetentionSignal.METRIC_EVENTS)).bytes()).isPositive();
  }
}
