package dev.sextant.promql.engine;

import dev.sextant.promql.parser.AtModifier;
import dev.sextant.promql.value.RangeSeries;
import java.util.List;

/**
 * The range-vector argument of a function: raw series (from a range selector or a subquery) and the
 * window each step reads: {@code [t - offset - range, t - offset]}, t being the @ time or the
 * step's.
 */
record RangeInput(List<RangeSeries> series, long rangeMs, long offsetMs, AtModifier at) {}
