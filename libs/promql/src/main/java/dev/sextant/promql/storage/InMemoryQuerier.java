package dev.sextant.promql.storage;

import dev.sextant.model.Labels;
import dev.sextant.promql.value.LabelSets;
import dev.sextant.storage.query.LabelMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A querier over series held in memory, for tests and for callers that already have the samples.
 * Series are kept in label order, which is the order {@link #select} promises.
 */
public final class InMemoryQuerier implements Querier {
  private final List<Series> series;

  public InMemoryQuerier(List<Series> series) {
    List<Series> sorted = new ArrayList<>(series);
    sorted.sort(Comparator.comparing(Series::labels, LabelSets.ORDER));
    this.series = List.copyOf(sorted);
  }

  @Override
  public SeriesSet select(SelectHints hints, List<LabelMatcher> matchers) {
    List<Series> out = new ArrayList<>();
    for (Series s : series) {
      if (matches(s.labels(), matchers)) {
        Series slice = s.slice(hints.startMs(), hints.endMs());
        if (slice.size() > 0) {
          out.add(slice);
        }
      }
    }
    return SeriesSet.of(out);
  }

  @Override
  public List<String> labelNames(long startMs, long endMs, List<LabelMatcher> matchers) {
    TreeSet<String> names = new TreeSet<>();
    for (Series s : inRange(startMs, endMs, matchers)) {
      names.addAll(s.labels().asMap().keySet());
    }
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(
      String name, long startMs, long endMs, List<LabelMatcher> matchers) {
    TreeSet<String> values = new TreeSet<>();
    for (Series s : inRange(startMs, endMs, matchers)) {
      String v = s.labels().asMap().get(name);
      if (v != null) {
        values.add(v);
      }
    }
    return List.copyOf(values);
  }

  private List<Series> inRange(long startMs, long endMs, List<LabelMatcher> matchers) {
    List<Series> out = new ArrayList<>();
    for (Series s : series) {
      if (matches(s.labels(), matchers) && s.slice(startMs, endMs).size() > 0) {
        out.add(s);
      }
    }
    return out;
  }

  private static boolean matches(Labels labels, List<LabelMatcher> matchers) {
    Map<String, String> map = labels.asMap();
    for (LabelMatcher m : matchers) {
      if (!m.matches(map.get(m.name()))) {
        return false;
      }
    }
    return true;
  }
}
