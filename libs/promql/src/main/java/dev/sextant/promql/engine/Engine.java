package dev.sextant.promql.engine;

import dev.sextant.promql.parser.Expr;
import dev.sextant.promql.parser.ParseException;
import dev.sextant.promql.parser.Parser;
import dev.sextant.promql.parser.ValueType;
import dev.sextant.promql.storage.Querier;
import dev.sextant.promql.value.LabelSets;
import dev.sextant.promql.value.RangeSeries;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Steps;
import dev.sextant.promql.value.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Runs PromQL instant and range queries against a {@link Querier}, with Prometheus's semantics.
 * Times are Unix milliseconds. Thread-safe: each query has its own state.
 */
public final class Engine {
  private final EngineOptions options;

  public Engine(EngineOptions options) {
    this.options = options;
  }

  public Engine() {
    this(EngineOptions.DEFAULTS);
  }

  public EngineOptions options() {
    return options;
  }

  /** Parses a query; a {@link PromQLException} of type BAD_DATA when it does not parse. */
  public static Expr parse(String query) {
    try {
      return Parser.parse(query);
    } catch (ParseException e) {
      throw new PromQLException(PromQLException.Type.BAD_DATA, e.getMessage(), e);
    }
  }

  public QueryResult instantQuery(Querier querier, String query, long timeMs) {
    return instantQuery(querier, parse(query), timeMs);
  }

  public QueryResult instantQuery(Querier querier, Expr expr, long timeMs) {
    QueryContext ctx = new QueryContext(querier, options, timeMs, timeMs);
    Value v = new Evaluator(ctx, Steps.instant(timeMs)).eval(expr);
    return switch (v) {
      case Value.Scalar s -> new QueryResult.Scalar(timeMs, s.values()[0]);
      case Value.Str s -> new QueryResult.Str(timeMs, s.value());
      case Value.Vector vec -> {
        List<QueryResult.Sample> out = new ArrayList<>(vec.series().size());
        for (StepSeries s : vec.series()) {
          if (s.has(0)) {
            out.add(new QueryResult.Sample(s.labels(), timeMs, s.value(0)));
          }
        }
        yield new QueryResult.Vector(out);
      }
      case Value.Matrix m -> {
        List<QueryResult.SeriesPoints> out = new ArrayList<>(m.series().size());
        for (RangeSeries s : m.series()) {
          out.add(
              new QueryResult.SeriesPoints(
                  s.labels(),
                  Arrays.copyOf(s.timestamps(), s.size()),
                  Arrays.copyOf(s.values(), s.size())));
        }
        yield new QueryResult.Matrix(out);
      }
    };
  }

  public QueryResult rangeQuery(
      Querier querier, String query, long startMs, long endMs, long stepMs) {
    return rangeQuery(querier, parse(query), startMs, endMs, stepMs);
  }

  /** A range query's result is always a matrix, its series sorted by labels. */
  public QueryResult rangeQuery(Querier querier, Expr expr, long startMs, long endMs, long stepMs) {
    if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.VECTOR) {
      throw new PromQLException(
          PromQLException.Type.BAD_DATA,
          "invalid expression type \""
              + expr.type()
              + "\" for range query, must be Scalar or instant Vector");
    }
    if (stepMs <= 0) {
      throw new PromQLException(
          PromQLException.Type.BAD_DATA,
          "zero or negative query resolution step widths are not accepted. Try a positive"
              + " integer");
    }
    if (endMs < startMs) {
      throw new PromQLException(
          PromQLException.Type.BAD_DATA, "end timestamp must not be before start time");
    }
    QueryContext ctx = new QueryContext(querier, options, startMs, endMs);
    Steps steps = new Steps(startMs, endMs, stepMs);
    Value v = new Evaluator(ctx, steps).eval(expr);
    List<QueryResult.SeriesPoints> out = new ArrayList<>();
    switch (v) {
      case Value.Scalar s -> {
        long[] ts = new long[steps.count()];
        for (int i = 0; i < ts.length; i++) {
          ts[i] = steps.time(i);
        }
        out.add(
            new QueryResult.SeriesPoints(dev.sextant.model.Labels.empty(), ts, s.values().clone()));
      }
      case Value.Vector vec -> {
        for (StepSeries s : vec.series()) {
          RangeSeries r = s.toRange(steps);
          if (r.size() > 0) {
            out.add(new QueryResult.SeriesPoints(r.labels(), r.timestamps(), r.values()));
          }
        }
        out.sort(Comparator.comparing(QueryResult.SeriesPoints::labels, LabelSets.ORDER));
      }
      case Value.Str s -> throw new IllegalStateException("string in range query");
      case Value.Matrix m -> throw new IllegalStateException("matrix in range query");
    }
    return new QueryResult.Matrix(out);
  }
}
