package dev.sextant.promql.engine;

import dev.sextant.model.Labels;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles output series by label set, as Prometheus's range evaluation does: outputs with equal
 * labels become one series, and two samples with equal labels at one step are an error.
 */
final class SeriesCollector {
  static final String DUPLICATE_LABELSET = "vector cannot contain metrics with the same labelset";

  private final int steps;
  private final Map<Labels, Slot> slots = new LinkedHashMap<>();

  SeriesCollector(int steps) {
    this.steps = steps;
  }

  /** A series may share its arrays with its input: it is copied before it is ever written. */
  static final class Slot {
    StepSeries series;
    boolean owned;
  }

  void add(StepSeries s) {
    Slot slot = slots.get(s.labels());
    if (slot == null) {
      slot = new Slot();
      slot.series = s;
      slots.put(s.labels(), slot);
      return;
    }
    for (int i = 0; i < steps; i++) {
      if (s.has(i)) {
        write(slot, i, s.value(i));
      }
    }
  }

  /** The series for these labels, created empty when new; write through {@link #set}. */
  Slot slot(Labels labels) {
    return slots.computeIfAbsent(
        labels,
        l -> {
          Slot slot = new Slot();
          slot.series = new StepSeries(l, steps);
          slot.owned = true;
          return slot;
        });
  }

  void set(Slot slot, int step, double value) {
    write(slot, step, value);
  }

  private void write(Slot slot, int step, double value) {
    if (slot.series.has(step)) {
      throw PromQLException.execution(DUPLICATE_LABELSET);
    }
    if (!slot.owned) {
      StepSeries copy = new StepSeries(slot.series.labels(), steps);
      for (int i = 0; i < steps; i++) {
        if (slot.series.has(i)) {
          copy.set(i, slot.series.value(i));
        }
      }
      slot.series = copy;
      slot.owned = true;
    }
    slot.series.set(step, value);
  }

  Value.Vector result() {
    List<StepSeries> out = new ArrayList<>(slots.size());
    for (Slot slot : slots.values()) {
      if (!slot.series.isEmpty()) {
        out.add(slot.series);
      }
    }
    return new Value.Vector(out);
  }
}
