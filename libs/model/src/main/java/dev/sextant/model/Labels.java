package dev.sextant.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable label set, sorted by name. Part of a series' identity (DESIGN §2.4): equal label
 * sets are equal whatever order they arrived in.
 */
public final class Labels {
  private static final Labels EMPTY = new Labels(new TreeMap<>());

  private final SortedMap<String, String> labels;

  private Labels(TreeMap<String, String> labels) {
    this.labels = Collections.unmodifiableSortedMap(labels);
  }

  public static Labels empty() {
    return EMPTY;
  }

  public static Labels of(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return EMPTY;
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    labels.forEach(
        (name, value) ->
            sorted.put(
                Objects.requireNonNull(name, "label name"),
                Objects.requireNonNull(value, "label value")));
    return new Labels(sorted);
  }

  /** Labels from alternating names and values: {@code Labels.of("job", "api", "env", "prod")}. */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must alternate");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      sorted.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return new Labels(sorted);
  }

  /** The value of a label, or {@code ""} when absent (as PromQL treats a missing label). */
  public String get(String name) {
    return labels.getOrDefault(name, "");
  }

  public SortedMap<String, String> asMap() {
    return labels;
  }

  public int size() {
    return labels.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Labels other && labels.equals(other.labels);
  }

  @Override
  public int hashCode() {
    return labels.hashCode();
  }

  @Override
  public String toString() {
    return labels.toString();
  }
}
