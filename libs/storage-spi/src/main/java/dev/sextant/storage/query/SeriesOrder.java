package dev.sextant.storage.query;

import dev.sextant.model.MetricSeries;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/**
 * The order {@link dev.sextant.storage.MetricStore#series} returns: by metric name, then by the
 * sorted labels compared pair by pair (label name, then value), a shorter label set first when it
 * is a prefix of the other, as Prometheus orders label sets. Tenant and metadata take no part.
 */
public enum SeriesOrder implements Comparator<MetricSeries> {
  INSTANCE;

  @Override
  public int compare(MetricSeries a, MetricSeries b) {
    int byName = a.name().compareTo(b.name());
    if (byName != 0) {
      return byName;
    }
    Iterator<Map.Entry<String, String>> left = a.labels().asMap().entrySet().iterator();
    Iterator<Map.Entry<String, String>> right = b.labels().asMap().entrySet().iterator();
    while (left.hasNext() && right.hasNext()) {
      Map.Entry<String, String> l = left.next();
      Map.Entry<String, String> r = right.next();
      int c = l.getKey().compareTo(r.getKey());
      if (c == 0) {
        c = l.getValue().compareTo(r.getValue());
      }
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(left.hasNext(), right.hasNext());
  }
}
