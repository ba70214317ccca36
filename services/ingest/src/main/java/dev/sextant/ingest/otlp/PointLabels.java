package dev.sextant.ingest.otlp;

import dev.sextant.ingest.pipeline.SeriesIdentity;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The series of the point being built: its metric, and its labels — the point's attributes as text
 * under the limits, then the promoted resource attributes it does not have, without empty values
 * (PromQL reads an empty label as an absent one), ordered by name. Reused from point to point of a
 * request, so that a point whose series is known costs no label objects at all.
 */
final class PointLabels implements SeriesIdentity, AttributeReader.Sink {
  private static final int MANY = 32;

  private final AttributeReader reader;
  private MetricPoint.Builder metric;
  private String[] names = new String[16];
  private String[] values = new String[16];
  private int count;

  /** The names so far once there are many (limits off): a scan would be quadratic. */
  private Set<String> many;

  PointLabels(AttributeReader reader) {
    this.reader = reader;
  }

  /** Reads the labels of a point of {@code metric}. */
  PointLabels of(
      MetricPoint.Builder metric, List<KeyValue> attributes, Map<String, String> resourceLabels) {
    this.metric = metric;
    count = 0;
    many = null;
    reader.read(attributes, reader.newRecord(), this);
    int own = count;
    for (Map.Entry<String, String> resource : resourceLabels.entrySet()) {
      if (!has(resource.getKey(), own)) {
        append(resource.getKey(), resource.getValue());
      }
    }
    int kept = 0;
    for (int i = 0; i < count; i++) {
      if (!values[i].isEmpty()) {
        names[kept] = names[i];
        values[kept++] = values[i];
      }
    }
    count = kept;
    sortByName();
    return this;
  }

  /** The labels as the pipeline carries them. */
  List<Label> toList() {
    List<Label> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(Label.newBuilder().setName(names[i]).setValue(values[i]).build());
    }
    return list;
  }

  @Override
  public boolean contains(String key) {
    return has(key, count);
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public void put(String key, Object value) {
    append(key, reader.text(LabelText.of(value)));
  }

  @Override
  public String name() {
    return metric.getName();
  }

  @Override
  public String unit() {
    return metric.getUnit();
  }

  @Override
  public String description() {
    return metric.getDescription();
  }

  @Override
  public int type() {
    return metric.getTypeValue();
  }

  @Override
  public int temporality() {
    return metric.getTemporalityValue();
  }

  @Override
  public int labelCount() {
    return count;
  }

  @Override
  public String labelName(int i) {
    return names[i];
  }

  @Override
  public String labelValue(int i) {
    return values[i];
  }

  /** Whether one of the first {@code limit} labels has this name. */
  private boolean has(String name, int limit) {
    if (many != null) {
      return many.contains(name); // past the point's own labels only the distinct resource ones
    }
    for (int i = 0; i < limit; i++) {
      if (names[i].equals(name)) {
        return true;
      }
    }
    return false;
  }

  private void append(String name, String value) {
    if (count == names.length) {
      names = Arrays.copyOf(names, 2 * count);
      values = Arrays.copyOf(values, 2 * count);
    }
    names[count] = name;
    values[count++] = value;
    if (many != null) {
      many.add(name);
    } else if (count > MANY) {
      many = new HashSet<>(Arrays.asList(names).subList(0, count));
    }
  }

  /** By name (names are distinct): an insertion sort for the usual handful, else a merge sort. */
  private void sortByName() {
    if (count > MANY) {
      Integer[] order = new Integer[count];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
      String[] sortedNames = new String[names.length];
      String[] sortedValues = new String[values.length];
      for (int i = 0; i < count; i++) {
        sortedNames[i] = names[order[i]];
        sortedValues[i] = values[order[i]];
      }
      names = sortedNames;
      values = sortedValues;
      return;
    }
    for (int i = 1; i < count; i++) {
      String name = names[i];
      String value = values[i];
      int j = i - 1;
      while (j >= 0 && names[j].compareTo(name) > 0) {
        names[j + 1] = names[j];
        values[j + 1] = values[j];
        j--;
      }
      names[j + 1] = name;
      values[j + 1] = value;
    }
  }
}
