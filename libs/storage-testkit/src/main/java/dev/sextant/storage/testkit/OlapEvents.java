package dev.sextant.storage.testkit;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static dev.sextant.storage.testkit.Fixtures.spanId;
import static dev.sextant.storage.testkit.Fixtures.traceId;

import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.MetricEvent;
import dev.sextant.storage.query.EventAggregation;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.TimeRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Metric events made to catch a store whose totals ({@link dev.sextant.storage.EventStore#totals})
 * differ from the reference: values of many magnitudes and signs, events sharing a time (so "last"
 * needs its id rule), labels some events lack, correlation keys some events lack, costs some events
 * lack in two units, providers and models, and events of another tenant and name that must not
 * count.
 */
public final class OlapEvents {
  private OlapEvents() {}

  /** The name every event counted is given. */
  public static final String NAME = "olap_value";

  /** Values of many magnitudes and both signs, some repeated, zeros of both signs. */
  public static DoubleSupplier mixedValues(Random random) {
    return () ->
        switch (random.nextInt(10)) {
          case 0 -> 42;
          case 1 -> random.nextBoolean() ? 0.0 : -0.0;
          case 2 -> random.nextGaussian() * 1e12;
          case 3 -> random.nextGaussian() * 1e-9;
          default -> random.nextGaussian() * Math.pow(10, random.nextInt(6) - 2);
        };
  }

  /**
   * {@code count} events of {@link #NAME} for the tenant over ten minutes, then one of another name
   * and one of another tenant.
   */
  public static List<MetricEvent> random(
      Random random, String tenant, String otherTenant, int count, DoubleSupplier values) {
    List<MetricEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      // Several events per second: equal times with different ids.
      long time = T0 + seconds(random.nextInt(600)) + (random.nextInt(3) == 0 ? 0 : i);
      events.add(event(random, tenant, "e-" + Integer.toString(i, 36), time, NAME, values));
    }
    events.add(event(random, tenant, "other-name", T0, "other_name", () -> 1e9));
    events.add(event(random, otherTenant, "other-tenant", T0, NAME, () -> -1e9));
    return events;
  }

  private static MetricEvent event(
      Random random, String tenant, String id, long time, String name, DoubleSupplier values) {
    Map<String, String> labels = new HashMap<>();
    if (random.nextInt(5) != 0) {
      labels.put("status", random.nextBoolean() ? "ok" : "error");
    }
    if (random.nextBoolean()) {
      labels.put("tool", "tool-" + random.nextInt(4));
    }
    Map<String, String> correlation = new HashMap<>();
    if (random.nextInt(4) != 0) {
      correlation.put(Correlation.ENTITY_NAME, "agent-" + random.nextInt(3));
    }
    if (random.nextBoolean()) {
      correlation.put(Correlation.SOURCE, random.nextBoolean() ? "cloud" : "local");
    }
    Cost cost =
        switch (random.nextInt(5)) {
          case 0 -> Cost.NONE;
          case 1 -> new Cost("anthropic", "claude", random.nextDouble() * 1e-3, "EUR", "{}");
          case 2 -> new Cost("openai", "", random.nextDouble(), "", "{}");
          default ->
              new Cost(
                  "openai",
                  random.nextBoolean() ? "gpt-4o" : "gpt-4o-mini",
                  random.nextDouble() * Math.pow(10, random.nextInt(4)),
                  "USD",
                  "{}");
        };
    return new MetricEvent(
        tenant,
        id,
        time,
        name,
        values.getAsDouble(),
        labels,
        random.nextInt(3) == 0 ? "" : traceId(1 + random.nextInt(5)),
        random.nextInt(3) == 0 ? "" : spanId(1 + random.nextInt(5)),
        new Correlation(correlation, List.of()),
        cost,
        "");
  }

  /** Aggregations covering every key kind, buckets, distinct keys and the cost filters. */
  public static List<EventAggregation> aggregations(String tenant) {
    EventQuery named = EventQuery.named(tenant, Set.of(NAME), EventQuery.MAX_LIMIT);
    EventQuery firstFiveMinutes =
        new EventQuery(
            tenant,
            new TimeRange(T0, T0 + seconds(300)),
            Set.of(NAME),
            null,
            null,
            null,
            null,
            Map.of("status", "ok"),
            false,
            EventQuery.MAX_LIMIT);
    return List.of(
        EventAggregation.total(named),
        new EventAggregation(named, null, null, seconds(60), List.of(), null),
        new EventAggregation(named, null, null, seconds(60), List.of("status"), "tool"),
        new EventAggregation(
            named, null, null, 0, List.of("provider", "model", "costUnit"), "traceId"),
        new EventAggregation(
            named, null, null, seconds(120), List.of(Correlation.ENTITY_NAME), "executionSource"),
        new EventAggregation(
            named, null, null, 0, List.of("executionSource", "traceId", "spanId"), "spanId"),
        new EventAggregation(named, null, null, 0, List.of("name", "tool"), "metricId"),
        new EventAggregation(named, "openai", null, seconds(300), List.of("model"), "model"),
        new EventAggregation(named, "openai", "gpt-4o", 0, List.of(), "provider"),
        new EventAggregation(named, "nobody", null, 0, List.of(), null),
        new EventAggregation(firstFiveMinutes, null, null, seconds(60), List.of("tool"), null));
  }
}
