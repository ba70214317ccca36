package dev.sextant.promql.engine;

import dev.sextant.model.Labels;
import java.util.List;

/** A query's result, shaped as Prometheus's API shapes it (times in Unix milliseconds). */
public sealed interface QueryResult {

  /** A scalar at the query time. */
  record Scalar(long timestampMs, double value) implements QueryResult {}

  /** A string at the query time. */
  record Str(long timestampMs, String value) implements QueryResult {}

  /** An instant vector: one sample per series, in evaluation order. */
  record Vector(List<Sample> samples) implements QueryResult {}

  /** A range query's (or a range selector's) series, sorted by labels for range queries. */
  record Matrix(List<SeriesPoints> series) implements QueryResult {}

  /** One sample of an instant vector. */
  record Sample(Labels labels, long timestampMs, double value) {}

  /** One series of a matrix: its points in time order. */
  record SeriesPoints(Labels labels, long[] timestampsMs, double[] values) {}
}
