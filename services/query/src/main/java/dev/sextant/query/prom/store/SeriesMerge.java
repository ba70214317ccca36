package dev.sextant.query.prom.store;

import dev.sextant.promql.storage.Series;
import dev.sextant.promql.value.LabelSets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sorts series by labels and merges those with equal labels, which the translation can produce
 * (stored {@code a.b} and {@code a_b} are both exposed as {@code a_b}): Prometheus would have
 * stored them as one series. At a timestamp both have, the later one in label order of the stored
 * series wins.
 */
final class SeriesMerge {
  private SeriesMerge() {}

  static List<Series> sortedUnique(List<Series> series) {
    List<Series> sorted = new ArrayList<>(series);
    sorted.sort(Comparator.comparing(Series::labels, LabelSets.ORDER));
    List<Series> out = new ArrayList<>(sorted.size());
    for (Series s : sorted) {
      int last = out.size() - 1;
      if (last >= 0 && out.get(last).labels().equals(s.labels())) {
        out.set(last, merge(out.get(last), s));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  private static Series merge(Series a, Series b) {
    SeriesBuilder merged = new SeriesBuilder(a.labels());
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      boolean takeA = j >= b.size() || (i < a.size() && a.timestamps()[i] < b.timestamps()[j]);
      if (takeA) {
        merged.add(a.timestamps()[i], a.values()[i]);
        i++;
      } else {
        if (i < a.size() && a.timestamps()[i] == b.timestamps()[j]) {
          i++; // the same timestamp in both: b's sample replaces a's
        }
        merged.add(b.timestamps()[j], b.values()[j]);
        j++;
      }
    }
    return merged.build();
  }
}
