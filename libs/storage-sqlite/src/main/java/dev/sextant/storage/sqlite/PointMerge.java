package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Merges runs of points (each sorted by time, one point per time) where a later run's point
 * replaces an earlier run's at the same time: blocks read in flush order, or a flush's points over
 * what is stored.
 */
final class PointMerge {
  private PointMerge() {}

  static List<MetricPoint> merge(List<? extends List<MetricPoint>> runs) {
    List<List<MetricPoint>> nonEmpty = new ArrayList<>();
    int total = 0;
    for (List<MetricPoint> run : runs) {
      if (!run.isEmpty()) {
        nonEmpty.add(run);
        total += run.size();
      }
    }
    if (nonEmpty.isEmpty()) {
      return List.of();
    }
    if (nonEmpty.size() == 1) {
      return nonEmpty.getFirst();
    }
    // Blocks of data arriving in order hold disjoint times: then the runs just follow each other.
    List<List<MetricPoint>> byStart = new ArrayList<>(nonEmpty);
    byStart.sort(Comparator.comparingLong(run -> run.getFirst().timeUnixNanos()));
    boolean disjoint = true;
    for (int i = 1; i < byStart.size() && disjoint; i++) {
      disjoint =
          byStart.get(i).getFirst().timeUnixNanos() > byStart.get(i - 1).getLast().timeUnixNanos();
    }
    List<MetricPoint> merged = new ArrayList<>(total);
    if (disjoint) {
      byStart.forEach(merged::addAll);
      return merged;
    }
    Ranked[] all = new Ranked[total];
    int n = 0;
    for (int rank = 0; rank < nonEmpty.size(); rank++) {
      for (MetricPoint p : nonEmpty.get(rank)) {
        all[n++] = new Ranked(p, rank);
      }
    }
    Arrays.sort(
        all,
        Comparator.comparingLong((Ranked r) -> r.point.timeUnixNanos())
            .thenComparingInt(r -> r.rank));
    for (int i = 0; i < n; i++) {
      boolean replaced =
          i + 1 < n && all[i + 1].point.timeUnixNanos() == all[i].point.timeUnixNanos();
      if (!replaced) {
        merged.add(all[i].point);
      }
    }
    return merged;
  }

  private record Ranked(MetricPoint point, int rank) {}
}
