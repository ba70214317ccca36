package dev.sextant.aggregator.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.aggregator.guardrails.SeriesLimits.Admission;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesLimitsTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long IDLE = 80 * SECOND;

  @Test
  void manySeriesStayActiveThroughTableGrowthAndKnownOnesAreNotCountedTwice() {
    SeriesLimits limits = new SeriesLimits(1_000_000, 1_000_000, IDLE);
    long now = -5 * SECOND; // nanoTime may be negative
    for (long id = 0; id < 50_000; id++) {
      assertThat(limits.admit("t", "m" + (id % 7), id * 0x9E3779B97F4A7C15L, now))
          .isEqualTo(Admission.ADMITTED);
    }
    for (long id = 0; id < 50_000; id++) {
      limits.admit("t", "m" + (id % 7), id * 0x9E3779B97F4A7C15L, now + SECOND);
    }
    assertThat(limits.activePerTenant(now + SECOND)).isEqualTo(Map.of("t", 50_000));
  }

  @Test
  void idleSeriesLeaveAtASweepAndTheLimitsCountOnlyTheActive() {
    SeriesLimits limits = new SeriesLimits(3, 2, IDLE);
    long t0 = 1_000 * SECOND;
    assertThat(limits.admit("t", "a", 1, t0)).isEqualTo(Admission.ADMITTED);
    assertThat(limits.admit("t", "a", 2, t0)).isEqualTo(Admission.ADMITTED);
    assertThat(limits.admit("t", "a", 3, t0)).isEqualTo(Admission.METRIC_LIMIT);
    assertThat(limits.admit("t", "b", 4, t0)).isEqualTo(Admission.ADMITTED);
    assertThat(limits.admit("t", "b", 5, t0)).isEqualTo(Admission.TENANT_LIMIT);
    assertThat(limits.admit("u", "b", 6, t0)).isEqualTo(Admission.ADMITTED);

    // Series 1 keeps arriving; 2, 4 and 6 go idle.
    limits.admit("t", "a", 1, t0 + IDLE / 2);
    long later = t0 + IDLE + IDLE / 4;
    assertThat(limits.activePerTenant(later)).isEqualTo(Map.of("t", 1));
    assertThat(limits.admit("t", "a", 2, later)).isEqualTo(Admission.ADMITTED);
    assertThat(limits.admit("t", "a", 3, later)).isEqualTo(Admission.METRIC_LIMIT);
    assertThat(limits.admit("t", "b", 5, later)).isEqualTo(Admission.ADMITTED);
    assertThat(limits.activePerTenant(later)).isEqualTo(Map.of("t", 3));
  }

  @Test
  void theTableShrinksAfterABurstAndKeepsItsSurvivors() {
    SeriesLimits limits = new SeriesLimits(1_000_000, 1_000_000, IDLE);
    long t0 = 0;
    for (long id = 1; id <= 20_000; id++) {
      limits.admit("t", "burst", id, t0);
    }
    limits.admit("t", "steady", -42, t0 + IDLE / 2);
    long later = t0 + IDLE + IDLE / 4;
    assertThat(limits.activePerTenant(later)).isEqualTo(Map.of("t", 1));
    // The survivor is still known: admitting it again does not count it twice.
    limits.admit("t", "steady", -42, later);
    assertThat(limits.activePerTenant(later)).isEqualTo(Map.of("t", 1));
  }
}
