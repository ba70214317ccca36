package dev.sextant.promql.value;

import dev.sextant.model.Labels;

/** A series' raw samples in time order (the input of range functions), stale markers removed. */
public record RangeSeries(Labels labels, long[] timestamps, double[] values, int size) {}
