package dev.sextant.promql.value;

import java.util.List;

/** What an expression evaluates to over the steps of an evaluation. */
public sealed interface Value {

  /** A scalar: one value at every step. */
  record Scalar(double[] values) implements Value {}

  /** An instant vector: series with a value at some of the steps. */
  record Vector(List<StepSeries> series) implements Value {}

  /** A string literal. */
  record Str(String value) implements Value {}

  /** A range vector: raw samples per series (only as a function argument or an instant result). */
  record Matrix(List<RangeSeries> series) implements Value {}
}
