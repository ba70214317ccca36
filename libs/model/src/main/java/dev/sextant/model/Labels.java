package dev.sextant.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable label set, sorted by name. Part of a series' identity (DESIGN §2.4): equal label
 * sets are equal whatever order they arrived in.
 *
 * <p>Kept as two sorted arrays with a cached hash rather than a tree: the aggregator and its store
 * hold one per active series (hundreds of thousands) and compare them on every point.
 */
public final class Labels {
  private static final String[] NONE = new String[0];
  private static final Labels EMPTY = new Labels(NONE, NONE);

  private final String[] names;
  private final String[] values;
  private int hash;

  private Labels(String[] names, String[] values) {
    this.names = names;
    this.values = values;
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
    return fromSorted(sorted);
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
    return fromSorted(sorted);
  }

  private static Labels fromSorted(TreeMap<String, String> sorted) {
    if (sorted.isEmpty()) {
      return EMPTY;
    }
    String[] names = new String[sorted.size()];
    String[] values = new String[sorted.size()];
    int i = 0;
    for (Map.Entry<String, String> label : sorted.entrySet()) {
      names[i] = label.getKey();
      values[i++] = label.getValue();
    }
    return new Labels(names, values);
  }

  /** The value of a label, or {@code ""} when absent (as PromQL treats a missing label). */
  public String get(String name) {
    int at = Arrays.binarySearch(names, name);
    return at >= 0 ? values[at] : "";
  }

  /** The labels as a read-only map iterating in name order. */
  public Map<String, String> asMap() {
    return new View();
  }

  public int size() {
    return names.length;
  }

  /** The name of the {@code i}-th label in name order. */
  public String name(int i) {
    return names[i];
  }

  /** The value of the {@code i}-th label in name order. */
  public String value(int i) {
    return values[i];
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof Labels other
            && hashCode() == other.hashCode()
            && Arrays.equals(names, other.names)
            && Arrays.equals(values, other.values));
  }

  /** Names and values mixed in order, computed once: label sets are hashed on every point. */
  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0 && names.length > 0) {
      for (int i = 0; i < names.length; i++) {
        h = 31 * (31 * h + names[i].hashCode()) + values[i].hashCode();
      }
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      out.append(i == 0 ? "" : ", ").append(names[i]).append('=').append(values[i]);
    }
    return out.append('}').toString();
  }

  /** A read-only map over the arrays, in name order. */
  private final class View extends AbstractMap<String, String> {
    @Override
    public Set<Entry<String, String>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, String>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < names.length;
            }

            @Override
            public Entry<String, String> next() {
              if (next >= names.length) {
                throw new NoSuchElementException();
              }
              int i = next++;
              return new SimpleImmutableEntry<>(names[i], values[i]);
            }
          };
        }

        @Override
        public int size() {
          return names.length;
        }
      };
    }

    @Override
    public String get(Object key) {
      if (!(key instanceof String name)) {
        return null;
      }
      int at = Arrays.binarySearch(names, name);
      return at >= 0 ? values[at] : null;
    }

    @Override
    public boolean containsKey(Object key) {
      return get(key) != null;
    }

    @Override
    public int size() {
      return names.length;
    }
  }
}
