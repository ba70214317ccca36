package dev.sextant.storage.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.MetricEvent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reference totals: independent of the events' order, with its rules for ties and zeros. */
class EventTotalsTest {
  private static final EventQuery ALL = EventQuery.all("t", 100);

  private static MetricEvent event(String id, long time, double value, Map<String, String> labels) {
    return event(id, time, value, labels, Correlation.NONE, Cost.NONE);
  }

  private static MetricEvent event(
      String id,
      long time,
      double value,
      Map<String, String> labels,
      Correlation correlation,
      Cost cost) {
    return new MetricEvent("t", id, time, "m", value, labels, "", "", correlation, cost, "");
  }

  @Test
  void totalsDoNotDependOnTheEventsOrderAndSumsAreExact() {
    Random random = new Random(5);
    List<MetricEvent> events = new ArrayList<>();
    BigDecimal exact = BigDecimal.ZERO;
    for (int i = 0; i < 500; i++) {
      double v = random.nextGaussian() * Math.pow(10, random.nextInt(30) - 15);
      exact = exact.add(new BigDecimal(v));
      events.add(event("e" + i, random.nextInt(50), v, Map.of()));
    }
    EventAggregation total = EventAggregation.total(ALL);
    List<EventTotals> first = EventTotals.of(events, total);
    for (int i = 0; i < 20; i++) {
      Collections.shuffle(events, random);
      assertThat(EventTotals.of(events, total)).isEqualTo(first);
    }
    assertThat(first.getFirst().sum().value()).isEqualTo(exact.doubleValue());
    assertThat(first.getFirst().count()).isEqualTo(500);
  }

  @Test
  void zerosAreOrderedBySign() {
    EventTotals t =
        EventTotals.of(
                List.of(event("a", 1, 0.0, Map.of()), event("b", 2, -0.0, Map.of())),
                EventAggregation.total(ALL))
            .getFirst();
    assertThat(t.min()).isEqualTo(-0.0);
    assertThat(t.max()).isEqualTo(0.0);
    assertThat(
            EventTotals.of(List.of(event("a", 1, -0.0, Map.of())), EventAggregation.total(ALL))
                .getFirst()
                .max())
        .isEqualTo(-0.0);
  }

  @Test
  void lastIsTheNewestAndOfEquallyNewTheLeastIdAsUtf8Bytes() {
    // U+FF01 sorts after U+1F600 as UTF-16 (a surrogate, D83D) and before it as UTF-8 (EF < F0).
    List<MetricEvent> events =
        List.of(
            event("\uD83D\uDE00", 5, 1, Map.of()),
            event("\uFF01", 5, 2, Map.of()),
            event("z", 4, 3, Map.of()));
    assertThat(EventTotals.of(events, EventAggregation.total(ALL)).getFirst().last()).isEqualTo(2);
  }

  @Test
  void eventsWithoutAGroupLabelAreLeftOutAndAbsentFieldsMakeANullGroup() {
    Correlation agent = new Correlation(Map.of(Correlation.ENTITY_NAME, "a"), List.of());
    List<MetricEvent> events =
        List.of(
            event("1", 1, 1, Map.of("tool", "x"), agent, new Cost("openai", "", 1.0, "USD", "")),
            event("2", 2, 2, Map.of("tool", "x"), Correlation.NONE, Cost.NONE),
            event("3", 3, 4, Map.of(), agent, new Cost("openai", "", 0.5, "EUR", "")));
    List<EventTotals> byTool =
        EventTotals.of(
            events,
            new EventAggregation(ALL, null, null, 0, List.of("tool"), Correlation.ENTITY_NAME));
    assertThat(byTool).hasSize(1);
    assertThat(byTool.getFirst().group()).containsExactly("x");
    assertThat(byTool.getFirst().count()).isEqualTo(2);
    assertThat(byTool.getFirst().distinct()).isEqualTo(1); // one event has no entity name
    assertThat(byTool.getFirst().cost().value()).isEqualTo(1.0);

    List<EventTotals> byAgent =
        EventTotals.of(
            events,
            new EventAggregation(ALL, null, null, 0, List.of(Correlation.ENTITY_NAME), null));
    assertThat(byAgent).extracting(EventTotals::group).containsExactly(nullGroup(), List.of("a"));
    assertThat(byAgent.get(0).cost()).isNull();
    assertThat(byAgent.get(1).costUnits()).containsExactly("EUR", "USD");
  }

  private static List<String> nullGroup() {
    List<String> group = new ArrayList<>();
    group.add(null);
    return group;
  }

  @Test
  void bucketsStartAtMultiplesOfTheirLengthBeforeTheEpochToo() {
    EventAggregation minutes = new EventAggregation(ALL, null, null, 60, List.of(), null);
    assertThat(minutes.bucket(-1)).isEqualTo(-60);
    assertThat(minutes.bucket(59)).isZero();
    assertThat(minutes.bucket(60)).isEqualTo(60);
    assertThat(EventAggregation.total(ALL).bucket(12345)).isZero();
  }

  @Test
  void badAggregationsAreRefused() {
    assertThatThrownBy(() -> new EventAggregation(ALL, null, null, -1, List.of(), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EventAggregation(ALL, null, null, 0, List.of(""), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..256");
    assertThatThrownBy(
            () -> new EventAggregation(ALL, null, null, 0, Collections.nCopies(11, "status"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 10");
    assertThatThrownBy(() -> EventAggregation.checkRows(EventAggregation.MAX_ROWS + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
