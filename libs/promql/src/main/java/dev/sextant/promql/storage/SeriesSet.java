package dev.sextant.promql.storage;

import java.util.Iterator;
import java.util.List;

/**
 * The series a {@link Querier} selected, in label order. A backend may produce them lazily; the
 * engine closes the set once it has read it.
 */
public interface SeriesSet extends Iterator<Series>, AutoCloseable {

  @Override
  default void close() {}

  static SeriesSet of(List<Series> series) {
    Iterator<Series> it = series.iterator();
    return new SeriesSet() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Series next() {
        return it.next();
      }
    };
  }
}
