package dev.sextant.storage.clickhouse;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.MetricEvent;
import dev.sextant.storage.query.EventAggregation;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.EventTotals;
import dev.sextant.storage.testkit.ChdbServer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ClickHouse totals values the conformance suite's stores need not hold (NaN, infinities,
 * subnormals, sums a plain addition gets wrong) exactly as the reference does, and refuses to
 * answer more rows than a store may.
 */
class ClickHouseEventTotalsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final double TINY = Double.MIN_VALUE;

  /** Groups of values (by the "case" label) and what each must total to. */
  private static final Map<String, double[]> CASES =
      Map.of(
          "negative-zeros", new double[] {-0.0, -0.0},
          "zeros", new double[] {-0.0, 0.0, -0.0},
          "subnormal", new double[] {TINY, 3 * TINY, -TINY, Double.MIN_NORMAL, -TINY * 7},
          "huge", new double[] {Double.MAX_VALUE / 4, -Double.MAX_VALUE / 8, 1, 1e-300},
          "cancel", new double[] {1e16, 1, -1e16, 1, 0.1, 0.2, -0.3});

  private static ClickHouseStorage storage;
  private static final List<MetricEvent> events = new ArrayList<>();

  @BeforeAll
  static void write() {
    storage =
        ClickHouseStorage.builder()
            .endpoint(ChdbServer.shared().endpoint())
            .database("event_totals_" + ProcessHandle.current().pid())
            .build();
    storage.start();
    int n = 0;
    for (Map.Entry<String, double[]> c : CASES.entrySet()) {
      double[] values = c.getValue();
      for (int i = 0; i < values.length; i++) {
        // The cost runs through the same sums: the value again, none for the first event.
        Double cost = i == 0 ? null : values[i];
        events.add(event("v" + n++, T0 + i, c.getKey(), values[i], cost));
      }
    }
    storage.metricEvents().write(events).await().atMost(PATIENCE);
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  private static MetricEvent event(String id, long time, String group, double value, Double cost) {
    return event("m", id, time, group, value, cost);
  }

  private static MetricEvent event(
      String name, String id, long time, String group, double value, Double cost) {
    return new MetricEvent(
        TENANT,
        id,
        time,
        name,
        value,
        Map.of("case", group),
        "",
        "",
        Correlation.NONE,
        new Cost("p", "m", cost, cost == null ? "" : "USD", ""),
        "");
  }

  private static List<EventTotals> totals(EventAggregation aggregation) {
    return storage.metricEvents().totals(aggregation).await().atMost(PATIENCE);
  }

  @Test
  void valuesNoPlainSumGetsRightTotalAsTheReference() {
    EventAggregation byCase =
        new EventAggregation(
            EventQuery.named(TENANT, Set.of("m"), EventQuery.MAX_LIMIT),
            null,
            null,
            0,
            List.of("case"),
            null);
    List<EventTotals> found = totals(byCase);
    assertThat(found).containsExactlyElementsOf(EventTotals.of(events, byCase));

    Map<String, EventTotals> byName = new java.util.HashMap<>();
    found.forEach(t -> byName.put(t.group().getFirst(), t));
    // What the reference says, checked against the exact arithmetic it stands for.
    for (Map.Entry<String, double[]> c : CASES.entrySet()) {
      EventTotals t = byName.get(c.getKey());
      assertThat(t.sum().value()).as(c.getKey()).isEqualTo(exactSum(c.getValue()));
    }
    assertThat(byName.get("cancel").sum().value()).isEqualTo(2.0); // a plain sum gives 1.0
    assertThat(byName.get("huge").last()).isEqualTo(1e-300);
    assertThat(byName.get("negative-zeros").max()).isEqualTo(-0.0);
    assertThat(byName.get("zeros").min()).isEqualTo(-0.0);
    assertThat(byName.get("zeros").max()).isEqualTo(0.0);
    assertThat(byName.get("subnormal").min()).isEqualTo(-7 * TINY);
    double[] cancel = CASES.get("cancel");
    assertThat(byName.get("cancel").cost().value())
        .isEqualTo(exactSum(java.util.Arrays.copyOfRange(cancel, 1, cancel.length)));
    assertThat(byName.get("cancel").costUnits()).containsExactly("USD");
  }

  /** The exact sum rounded once (BigDecimal; zero sums are 0.0, as ExactSum's). */
  private static double exactSum(double[] values) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double v : values) {
      sum = sum.add(new BigDecimal(v));
    }
    return sum.doubleValue();
  }

  @Test
  void exactSumPartialsAddUpToTheirUnits() {
    Random random = new Random(3);
    for (int i = 0; i < 2_000; i++) {
      BigInteger units = new BigInteger(1 + random.nextInt(1_100), random);
      units = random.nextBoolean() ? units.negate() : units;
      BigDecimal expected = new BigDecimal(units).multiply(new BigDecimal(Math.scalb(1.0, -1074)));
      BigDecimal found = BigDecimal.ZERO;
      for (double part : ExactSums.partials(units)) {
        found = found.add(new BigDecimal(part));
      }
      assertThat(found).as("%s", units).isEqualByComparingTo(expected);
    }
  }

  @Test
  void moreRowsThanAStoreAnswersAreRefused() {
    List<MetricEvent> many = new ArrayList<>();
    for (int i = 0; i <= EventAggregation.MAX_ROWS; i++) {
      many.add(event("many", "many-" + i, T0 + i, "many", i, null));
    }
    storage.metricEvents().write(many).await().atMost(PATIENCE);
    EventQuery query =
        new EventQuery(
            TENANT,
            null,
            Set.of("many"),
            null,
            null,
            null,
            null,
            Map.of("case", "many"),
            false,
            EventQuery.MAX_LIMIT);
    assertThatThrownBy(
            () ->
                totals(new EventAggregation(query, null, null, 0, List.of("metricId"), "metricId")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 100000 groups and buckets");
    // Totalled whole, all of them count.
    assertThat(totals(EventAggregation.total(query)).getFirst().count())
        .isEqualTo(EventAggregation.MAX_ROWS + 1L);
  }
}
