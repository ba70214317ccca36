package dev.sextant.storage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricType;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What backends build on: rollups of consecutive runs of samples, combined per window, equal the
 * rollups of all samples, for every point kind (a backend rolls up whatever arrives between two of
 * its compactions).
 */
class RollupsPropertyTest {

  @Test
  void rollupsOfConsecutiveRunsCombineIntoTheRollupsOfAllSamples() {
    SplittableRandom random = new SplittableRandom(1);
    for (MetricType type : MetricType.values()) {
      for (int seed = 0; seed < 20; seed++) {
        List<MetricPoint> points =
            new RandomSamples(seed).series(type, Fixtures.T0, Fixtures.seconds(7), 400);
        for (RollupTier tier : RollupTier.values()) {
          List<Rollup> whole = Rollups.compute(tier, null, points);
          List<Rollup> combined = new ArrayList<>();
          MetricPoint previous = null;
          int from = 0;
          while (from < points.size()) {
            int to = Math.min(points.size(), from + random.nextInt(1, 120));
            for (Rollup part : Rollups.compute(tier, previous, points.subList(from, to))) {
              boolean sameWindow =
                  !combined.isEmpty()
                      && combined.getLast().windowStartUnixNanos() == part.windowStartUnixNanos();
              if (sameWindow) {
                combined.set(combined.size() - 1, Rollups.combine(combined.getLast(), part));
              } else {
                combined.add(part);
              }
            }
            previous = lastSample(points.subList(0, to), previous);
            from = to;
          }
          assertThat(combined).as("%s seed %d %s", type, seed, tier).isEqualTo(whole);
        }
      }
    }
  }

  private static MetricPoint lastSample(List<MetricPoint> points, MetricPoint fallback) {
    for (MetricPoint point : points.reversed()) {
      if (!Rollups.isStaleMarker(point)) {
        return point;
      }
    }
    return fallback;
  }
}
