package dev.sextant.storage.testkit;

import static dev.sextant.storage.testkit.Fixtures.OTHER_TENANT;
import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static dev.sextant.storage.testkit.Fixtures.spanId;
import static dev.sextant.storage.testkit.Fixtures.traceId;
import static dev.sextant.storage.testkit.SpanBuilder.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.Feedback;
import dev.sextant.model.MastraAttributes;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Score;
import dev.sextant.model.Span;
import dev.sextant.model.SpanPayload;
import dev.sextant.model.StatusCode;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.query.EventAggregation;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.EventSelection;
import dev.sextant.storage.query.EventTotals;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.TimeRange;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What agent-framework telemetry asks of a backend (ADR 0010): the running-span rewrite rule, root
 * lists with filters and keyset paging, payloads apart from spans, and the three event stores
 * (metric events, scores, feedback) with their queries, idempotence, tenancy and retention.
 */
public abstract class AgentTelemetryConformance extends StorageConformance {

  private static Span agentRoot(long n, String entityName, StatusCode status, List<String> tags) {
    return span(traceId(n), spanId(n))
        .start(T0 + seconds(n))
        .status(status)
        .attribute(MastraAttributes.SPAN_TYPE, "agent_run")
        .attribute(MastraAttributes.ENTITY_TYPE, "agent")
        .attribute(MastraAttributes.ENTITY_NAME, entityName)
        .attribute(MastraAttributes.METADATA_PREFIX + "threadId", "thread-" + (n % 2))
        .attribute(MastraAttributes.TAGS, List.<Object>copyOf(tags))
        .build();
  }

  private static Span otherTenantRoot() {
    return span(OTHER_TENANT, traceId(5), spanId(5))
        .start(T0 + seconds(5))
        .attribute(MastraAttributes.ENTITY_NAME, "alpha")
        .build();
  }

  private static Span running(Span span) {
    return span(span.tenant(), span.traceId(), span.spanId())
        .name(span.name())
        .start(span.startTimeUnixNanos())
        .duration(0)
        .attributes(span.attributes())
        .attribute(MastraAttributes.RUNNING, true)
        .build();
  }

  @Test
  void anEndedSpanWinsOverItsRunningRecordInEitherOrder() {
    Span ended = span(traceId(1), spanId(1)).name("ended").duration(seconds(2)).build();
    Span start = running(span(traceId(1), spanId(1)).name("started").build());
    await(storage().spans().write(List.of(start)));
    assertThat(await(storage().spans().trace(TENANT, traceId(1)))).containsExactly(start);
    await(storage().spans().write(List.of(ended)));
    await(storage().spans().write(List.of(start)));
    assertThat(await(storage().spans().trace(TENANT, traceId(1)))).containsExactly(ended);
  }

  @Test
  void rootsAreListedNewestFirstWithFiltersAndKeysetPaging() {
    await(
        storage()
            .spans()
            .write(
                List.of(
                    agentRoot(1, "alpha", StatusCode.OK, List.of("a")),
                    agentRoot(2, "beta", StatusCode.ERROR, List.of("a", "b")),
                    agentRoot(3, "alpha", StatusCode.UNSET, List.of("b")),
                    running(agentRoot(4, "alpha", StatusCode.UNSET, List.of())),
                    span(traceId(3), spanId(30)).parent(spanId(3)).start(T0 + seconds(9)).build(),
                    otherTenantRoot())));
    RootQuery all = new RootQuery(TENANT, null, null, null, null, null, null, false, 100);
    assertThat(ids(await(storage().spans().roots(all))))
        .containsExactly(traceId(4), traceId(3), traceId(2), traceId(1));

    RootQuery alpha =
        new RootQuery(
            TENANT,
            null,
            Map.of(MastraAttributes.ENTITY_NAME, "alpha"),
            null,
            null,
            null,
            null,
            false,
            100);
    assertThat(ids(await(storage().spans().roots(alpha))))
        .containsExactly(traceId(4), traceId(3), traceId(1));
    assertThat(ids(await(storage().spans().roots(withStatus(all, "error")))))
        .containsExactly(traceId(2));
    assertThat(ids(await(storage().spans().roots(withStatus(all, "running")))))
        .containsExactly(traceId(4));
    assertThat(ids(await(storage().spans().roots(withStatus(all, "success")))))
        .containsExactly(traceId(3), traceId(1));
    RootQuery tagged =
        new RootQuery(TENANT, null, null, null, null, List.of("a", "b"), null, false, 100);
    assertThat(ids(await(storage().spans().roots(tagged)))).containsExactly(traceId(2));
    RootQuery thread =
        new RootQuery(
            TENANT,
            new TimeRange(T0 + seconds(1), T0 + seconds(4)),
            Map.of(MastraAttributes.METADATA_PREFIX + "threadId", "thread-1"),
            null,
            null,
            null,
            null,
            false,
            100);
    assertThat(ids(await(storage().spans().roots(thread)))).containsExactly(traceId(3), traceId(1));

    RootQuery firstPage = new RootQuery(TENANT, null, null, null, null, null, null, false, 2);
    List<Span> page = await(storage().spans().roots(firstPage));
    assertThat(ids(page)).containsExactly(traceId(4), traceId(3));
    Span last = page.getLast();
    RootQuery secondPage =
        new RootQuery(
            TENANT,
            null,
            null,
            null,
            null,
            null,
            new RootQuery.Cursor(last.startTimeUnixNanos(), last.traceId(), last.spanId()),
            false,
            2);
    assertThat(ids(await(storage().spans().roots(secondPage))))
        .containsExactly(traceId(2), traceId(1));
    RootQuery oldest = new RootQuery(TENANT, null, null, null, null, null, null, true, 1);
    assertThat(ids(await(storage().spans().roots(oldest)))).containsExactly(traceId(1));
  }

  private static RootQuery withStatus(RootQuery query, String status) {
    return new RootQuery(
        query.tenant(), query.range(), query.attributes(), null, status, null, null, false, 100);
  }

  private static List<String> ids(List<Span> spans) {
    return spans.stream().map(Span::traceId).toList();
  }

  @Test
  void payloadsAreKeptApartAndAnEmptyOneNeverReplacesAStoredOne() {
    SpanPayload full =
        new SpanPayload(TENANT, traceId(1), spanId(1), T0, "{\"q\":1}", "\"answer\"", false);
    SpanPayload other =
        new SpanPayload(TENANT, traceId(1), spanId(2), T0 + seconds(10), "1", "", true);
    SpanPayload elsewhere =
        new SpanPayload(OTHER_TENANT, traceId(1), spanId(3), T0, "secret", "", false);
    await(storage().payloads().write(List.of(full, other, elsewhere)));
    await(
        storage()
            .payloads()
            .write(List.of(new SpanPayload(TENANT, traceId(1), spanId(1), T0, "", "", false))));
    assertThat(await(storage().payloads().trace(TENANT, traceId(1))))
        .containsExactlyInAnyOrder(full, other);
    assertThat(await(storage().payloads().trace(TENANT, traceId(2)))).isEmpty();

    assertThat(await(storage().payloads().deleteOlderThan(T0 + seconds(5)))).isEqualTo(2);
    assertThat(await(storage().payloads().trace(TENANT, traceId(1)))).containsExactly(other);
  }

  private static MetricEvent metric(
      String tenant, String id, long time, String name, double value) {
    return new MetricEvent(
        tenant,
        id,
        time,
        name,
        value,
        Map.of("status", value > 10 ? "error" : "ok"),
        traceId(1),
        spanId(1),
        new Correlation(
            Map.of(Correlation.ENTITY_NAME, "agent-" + id, Correlation.THREAD_ID, "t1"),
            List.of("prod")),
        new Cost("openai", "gpt-4o-mini", 0.25, "USD", "{}"),
        "{\"k\":\"v\"}");
  }

  @Test
  void percentilesOfMetricEventValuesAreExactPerBucket() {
    java.util.Random random = new java.util.Random(7);
    List<MetricEvent> wanted = new java.util.ArrayList<>();
    List<MetricEvent> all = new java.util.ArrayList<>();
    for (int i = 0; i < 600; i++) {
      // Three minutes of events, values of many magnitudes and some repeated.
      double value = i % 7 == 0 ? 42 : random.nextGaussian() * Math.pow(10, random.nextInt(6) - 2);
      MetricEvent e = metric(TENANT, "p" + i, T0 + seconds(i % 180), "latency_ms", value);
      all.add(e);
      wanted.add(e);
    }
    // A bucket of one event; events of another name and of another tenant, which must not count.
    MetricEvent alone = metric(TENANT, "alone", T0 + seconds(600), "latency_ms", 3.25);
    all.add(alone);
    wanted.add(alone);
    all.add(metric(TENANT, "other-name", T0 + seconds(5), "tokens", 1e9));
    all.add(metric(OTHER_TENANT, "other-tenant", T0 + seconds(5), "latency_ms", -1e9));
    await(storage().metricEvents().write(all));

    double[] levels = {0, 0.25, 0.5, 0.9, 0.99, 1};
    EventQuery query = EventQuery.named(TENANT, Set.of("latency_ms"), 100_000);
    java.util.NavigableMap<Long, double[]> found =
        await(storage().metricEvents().percentiles(EventSelection.of(query), seconds(60), levels));

    java.util.NavigableMap<Long, double[]> expected =
        dev.sextant.storage.query.ValuePercentiles.of(wanted, seconds(60), levels);
    assertThat(found.keySet())
        .containsExactly(T0, T0 + seconds(60), T0 + seconds(120), T0 + seconds(600));
    for (Long bucket : expected.keySet()) {
      assertThat(found.get(bucket)).as("bucket %d", bucket).containsExactly(expected.get(bucket));
    }
    assertThat(found.get(T0 + seconds(600))).containsOnly(3.25);

    // The query's criteria apply: here a label only some events have.
    EventQuery ok =
        new EventQuery(
            TENANT,
            new TimeRange(T0, T0 + seconds(60)),
            Set.of("latency_ms"),
            null,
            null,
            null,
            null,
            Map.of("status", "ok"),
            false,
            100_000);
    List<MetricEvent> okEvents =
        wanted.stream()
            .filter(e -> e.timeUnixNanos() < T0 + seconds(60))
            .filter(e -> e.labels().get("status").equals("ok"))
            .toList();
    assertThat(
            await(storage().metricEvents().percentiles(EventSelection.of(ok), seconds(60), levels))
                .get(T0))
        .containsExactly(
            dev.sextant.storage.query.ValuePercentiles.of(okEvents, seconds(60), levels).get(T0));
    // Scores have no values for this.
    assertThat(
            await(
                storage()
                    .scores()
                    .percentiles(
                        EventSelection.of(EventQuery.all(TENANT, 100)), seconds(60), levels)))
        .isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                storage()
                    .metricEvents()
                    .percentiles(EventSelection.of(query), seconds(60), new double[] {1.5}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..1");
  }

  @Test
  void totalsOfMetricEventsAreTheReferencesBitForBit() {
    java.util.Random random = new java.util.Random(11);
    List<MetricEvent> events =
        OlapEvents.random(random, TENANT, OTHER_TENANT, 1500, OlapEvents.mixedValues(random));
    await(storage().metricEvents().write(events));

    for (EventAggregation aggregation : OlapEvents.aggregations(TENANT)) {
      List<EventTotals> expected =
          EventTotals.of(events.stream().filter(aggregation::selects).toList(), aggregation);
      assertThat(await(storage().metricEvents().totals(aggregation)))
          .as("%s", aggregation)
          .containsExactlyElementsOf(expected);
    }
    // The reference itself: ten one-minute buckets, each with both statuses.
    assertThat(
            EventTotals.of(
                events.stream().filter(e -> e.tenant().equals(TENANT)).toList(),
                OlapEvents.aggregations(TENANT).get(2)))
        .hasSize(20);
    // Scores have no values for this.
    assertThat(
            await(
                storage()
                    .scores()
                    .totals(EventAggregation.total(EventQuery.all(TENANT, EventQuery.MAX_LIMIT)))))
        .isEmpty();
  }

  @Test
  void totalsAndPercentilesCountEveryEventBeyondASearchLimit() {
    // More events than a search may return, 300 to a timestamp (so paging splits ties).
    int count = EventQuery.MAX_LIMIT + 20_000;
    List<MetricEvent> events = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(
          new MetricEvent(
              TENANT,
              "bulk-" + i,
              T0 + seconds(i / 300),
              "bulk",
              (i % 1000) * 0.5 - 100,
              Map.of("status", i % 3 == 0 ? "error" : "ok"),
              "",
              "",
              Correlation.NONE,
              i % 2 == 0 ? Cost.NONE : new Cost("openai", "gpt-4o", 1e-4, "USD", ""),
              ""));
    }
    for (int from = 0; from < count; from += 10_000) {
      await(storage().metricEvents().write(events.subList(from, from + 10_000)));
    }
    EventQuery bulk = EventQuery.named(TENANT, Set.of("bulk"), 1);
    for (EventAggregation aggregation :
        List.of(
            EventAggregation.total(bulk),
            new EventAggregation(bulk, "openai", null, seconds(60), List.of("status"), null))) {
      assertThat(await(storage().metricEvents().totals(aggregation)))
          .as("%s", aggregation)
          .containsExactlyElementsOf(
              EventTotals.of(events.stream().filter(aggregation::selects).toList(), aggregation));
    }
    assertThat(
            await(storage().metricEvents().totals(EventAggregation.total(bulk))).getFirst().count())
        .isEqualTo(count);
    double[] levels = {0.1, 0.5, 0.999};
    java.util.NavigableMap<Long, double[]> found =
        await(
            storage()
                .metricEvents()
                .percentiles(new EventSelection(bulk, "openai", null), seconds(60), levels));
    java.util.NavigableMap<Long, double[]> expected =
        dev.sextant.storage.query.ValuePercentiles.of(
            events.stream().filter(e -> e.cost().provider().equals("openai")).toList(),
            seconds(60),
            levels);
    assertThat(found.keySet()).containsExactlyElementsOf(expected.keySet());
    expected.forEach(
        (bucket, values) -> assertThat(found.get(bucket)).as("%d", bucket).containsExactly(values));
  }

  @Test
  void metricEventsAreFoundByNameTimeTraceCorrelationAndLabelsAndStoredOncePerId() {
    MetricEvent a = metric(TENANT, "a", T0, "duration_ms", 5);
    MetricEvent b = metric(TENANT, "b", T0 + seconds(1), "duration_ms", 50);
    MetricEvent c = metric(TENANT, "c", T0 + seconds(2), "tokens", 7);
    MetricEvent hidden = metric(OTHER_TENANT, "d", T0, "duration_ms", 1);
    await(storage().metricEvents().write(List.of(a, b, c, hidden)));
    await(storage().metricEvents().write(List.of(a)));

    assertThat(await(storage().metricEvents().search(EventQuery.all(TENANT, 100))))
        .containsExactly(a, b, c);
    EventQuery byName =
        new EventQuery(
            TENANT, null, Set.of("duration_ms"), null, null, null, null, null, true, 100);
    assertThat(await(storage().metricEvents().search(byName))).containsExactly(b, a);
    EventQuery byLabel =
        new EventQuery(
            TENANT,
            null,
            null,
            Set.of(traceId(1)),
            spanId(1),
            Map.of(Correlation.ENTITY_NAME, "agent-b"),
            List.of("prod"),
            Map.of("status", "error"),
            false,
            100);
    assertThat(await(storage().metricEvents().search(byLabel))).containsExactly(b);
    EventQuery inRange =
        new EventQuery(
            TENANT,
            new TimeRange(T0 + 1, T0 + seconds(2)),
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            1);
    assertThat(await(storage().metricEvents().search(inRange))).containsExactly(b);
    EventQuery otherTag =
        new EventQuery(TENANT, null, null, null, null, null, List.of("dev"), null, false, 100);
    assertThat(await(storage().metricEvents().search(otherTag))).isEmpty();
    assertThat(await(storage().metricEvents().names(TENANT, TimeRange.ALL, 10)))
        .containsExactly("duration_ms", "tokens");

    assertThat(await(storage().metricEvents().deleteOlderThan(T0 + seconds(1)))).isEqualTo(2);
    assertThat(await(storage().metricEvents().search(EventQuery.all(TENANT, 100))))
        .containsExactly(b, c);
  }

  @Test
  void scoresAndFeedbackAreStoredAsSentAndSurviveAReopen() {
    Score score =
        new Score(
            TENANT,
            "s1",
            T0,
            traceId(1),
            spanId(1),
            "relevance",
            "Relevance",
            "v2",
            "live",
            0.75,
            "on topic",
            traceId(9),
            new Correlation(Map.of(Correlation.ENTITY_TYPE, "agent"), null),
            "{}");
    Feedback thumbs =
        new Feedback(
            TENANT,
            "f1",
            T0,
            traceId(1),
            "",
            "user",
            "thumbs",
            1.0,
            "",
            "great",
            "u1",
            "",
            Feedback.NEEDS_REVIEW,
            Correlation.NONE,
            "");
    Feedback comment =
        new Feedback(
            TENANT,
            "f2",
            T0 + 1,
            traceId(1),
            spanId(2),
            "user",
            "comment",
            null,
            "too slow",
            "",
            "",
            "src",
            Feedback.REVIEWED,
            Correlation.NONE,
            "");
    await(storage().scores().write(List.of(score)));
    await(storage().feedback().write(List.of(thumbs, comment)));

    StorageComponent reopened = closeAndReopen();
    if (reopened.capabilities().persistent()) {
      assertThat(await(reopened.scores().search(EventQuery.all(TENANT, 10))))
          .containsExactly(score);
      assertThat(await(reopened.feedback().search(EventQuery.all(TENANT, 10))))
          .containsExactly(thumbs, comment);
      assertThat(await(reopened.feedback().search(EventQuery.all(OTHER_TENANT, 10)))).isEmpty();
    }
  }
}
