package dev.sextant.promql.engine;

import dev.sextant.model.Labels;
import dev.sextant.promql.functions.GoMath;
import dev.sextant.promql.parser.BinaryExpr;
import dev.sextant.promql.parser.BinaryOp;
import dev.sextant.promql.parser.VectorMatching;
import dev.sextant.promql.value.LabelSets;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Steps;
import dev.sextant.promql.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The binary operators between scalars and vectors, with Prometheus's matching rules. Label work
 * (signatures, result labels) is done once per series or pair of series, not per step.
 */
final class BinaryOps {
  private BinaryOps() {}

  static Value apply(BinaryExpr b, Value lhs, Value rhs, Steps steps) {
    if (lhs instanceof Value.Scalar l && rhs instanceof Value.Scalar r) {
      return scalars(b, l, r);
    }
    if (lhs instanceof Value.Vector l && rhs instanceof Value.Scalar r) {
      return vectorScalar(b, l, r.values(), false, steps);
    }
    if (lhs instanceof Value.Scalar l && rhs instanceof Value.Vector r) {
      return vectorScalar(b, r, l.values(), true, steps);
    }
    Value.Vector l = (Value.Vector) lhs;
    Value.Vector r = (Value.Vector) rhs;
    return switch (b.op()) {
      case AND, OR, UNLESS -> setOperation(b, l, r, steps);
      case EQL, NEQ, LTE, LSS, GTE, GTR, ADD, SUB, MUL, DIV, MOD, ATAN2, POW ->
          vectorVector(b, l, r, steps);
    };
  }

  /** The arithmetic result, or for comparisons the left value (the caller checks the outcome). */
  static double arithmetic(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case MOD -> l % r;
      case POW -> GoMath.pow(l, r);
      case ATAN2 -> Math.atan2(l, r);
      case EQL, NEQ, LTE, LSS, GTE, GTR, AND, OR, UNLESS -> l;
    };
  }

  static boolean holds(BinaryOp op, double l, double r) {
    return switch (op) {
      case EQL -> l == r;
      case NEQ -> l != r;
      case LTE -> l <= r;
      case LSS -> l < r;
      case GTE -> l >= r;
      case GTR -> l > r;
      case ADD, SUB, MUL, DIV, MOD, POW, ATAN2, AND, OR, UNLESS -> true;
    };
  }

  /** Arithmetic drops the metric name; comparisons (without bool) and set operators keep it. */
  private static boolean dropsName(BinaryOp op) {
    return switch (op) {
      case ADD, SUB, MUL, DIV, MOD, POW, ATAN2 -> true;
      case EQL, NEQ, LTE, LSS, GTE, GTR, AND, OR, UNLESS -> false;
    };
  }

  private static Value scalars(BinaryExpr b, Value.Scalar l, Value.Scalar r) {
    double[] out = new double[l.values().length];
    for (int i = 0; i < out.length; i++) {
      double x = l.values()[i];
      double y = r.values()[i];
      out[i] = b.op().isComparison() ? (holds(b.op(), x, y) ? 1 : 0) : arithmetic(b.op(), x, y);
    }
    return new Value.Scalar(out);
  }

  private static Value vectorScalar(
      BinaryExpr b, Value.Vector vector, double[] scalar, boolean scalarOnLeft, Steps steps) {
    BinaryOp op = b.op();
    boolean comparison = op.isComparison();
    SeriesCollector out = new SeriesCollector(steps.count());
    for (StepSeries s : vector.series()) {
      Labels labels =
          dropsName(op) || b.returnBool() ? LabelSets.withoutName(s.labels()) : s.labels();
      StepSeries r = new StepSeries(labels, s.steps());
      for (int i = 0; i < s.steps(); i++) {
        if (!s.has(i)) {
          continue;
        }
        double v = s.value(i);
        double x = scalarOnLeft ? scalar[i] : v;
        double y = scalarOnLeft ? v : scalar[i];
        boolean keep = holds(op, x, y);
        // A comparison keeps the vector's value, whichever side the vector is on.
        double value = comparison ? v : arithmetic(op, x, y);
        if (b.returnBool()) {
          r.set(i, keep ? 1 : 0);
        } else if (keep) {
          r.set(i, value);
        }
      }
      out.add(r);
    }
    return out.result();
  }

  /** The match key of a series: the {@code on} labels, or all but the ignored ones and the name. */
  private static Labels signature(Labels labels, VectorMatching m) {
    TreeMap<String, String> key = new TreeMap<>();
    if (m.on()) {
      for (String name : m.matchingLabels()) {
        String v = labels.asMap().get(name);
        if (v != null) {
          key.put(name, v);
        }
      }
    } else {
      key.putAll(labels.asMap());
      key.remove(LabelSets.METRIC_NAME);
      for (String name : m.matchingLabels()) {
        key.remove(name);
      }
    }
    return Labels.of(key);
  }

  private static Value setOperation(BinaryExpr b, Value.Vector lhs, Value.Vector rhs, Steps steps) {
    VectorMatching m = b.matching();
    int n = steps.count();
    List<Labels> lhsSigs = new ArrayList<>();
    for (StepSeries s : lhs.series()) {
      lhsSigs.add(signature(s.labels(), m));
    }
    List<Labels> rhsSigs = new ArrayList<>();
    for (StepSeries s : rhs.series()) {
      rhsSigs.add(signature(s.labels(), m));
    }
    SeriesCollector out = new SeriesCollector(n);
    switch (b.op()) {
      case AND, UNLESS -> {
        Map<Labels, boolean[]> rhsPresent = presence(rhs, rhsSigs, n);
        boolean and = b.op() == BinaryOp.AND;
        for (int k = 0; k < lhs.series().size(); k++) {
          StepSeries s = lhs.series().get(k);
          boolean[] other = rhsPresent.get(lhsSigs.get(k));
          StepSeries r = new StepSeries(s.labels(), n);
          for (int i = 0; i < n; i++) {
            boolean matched = other != null && other[i];
            if (s.has(i) && matched == and) {
              r.set(i, s.value(i));
            }
          }
          out.add(r);
        }
      }
      case OR -> {
        Map<Labels, boolean[]> lhsPresent = presence(lhs, lhsSigs, n);
        for (StepSeries s : lhs.series()) {
          out.add(s);
        }
        for (int k = 0; k < rhs.series().size(); k++) {
          StepSeries s = rhs.series().get(k);
          boolean[] other = lhsPresent.get(rhsSigs.get(k));
          StepSeries r = new StepSeries(s.labels(), n);
          for (int i = 0; i < n; i++) {
            if (s.has(i) && (other == null || !other[i])) {
              r.set(i, s.value(i));
            }
          }
          out.add(r);
        }
      }
      case EQL, NEQ, LTE, LSS, GTE, GTR, ADD, SUB, MUL, DIV, MOD, ATAN2, POW ->
          throw new IllegalStateException("not a set operator: " + b.op());
    }
    return out.result();
  }

  private static Map<Labels, boolean[]> presence(Value.Vector v, List<Labels> sigs, int n) {
    Map<Labels, boolean[]> out = new HashMap<>();
    for (int k = 0; k < v.series().size(); k++) {
      StepSeries s = v.series().get(k);
      boolean[] p = out.computeIfAbsent(sigs.get(k), x -> new boolean[n]);
      for (int i = 0; i < n; i++) {
        if (s.has(i)) {
          p[i] = true;
        }
      }
    }
    return out;
  }

  private static Value vectorVector(BinaryExpr b, Value.Vector lhs, Value.Vector rhs, Steps steps) {
    VectorMatching m = b.matching();
    int n = steps.count();
    boolean swapped = m.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY;
    // After the swap the left side is the "many" side and the right side the "one" side.
    List<StepSeries> many = swapped ? rhs.series() : lhs.series();
    List<StepSeries> one = swapped ? lhs.series() : rhs.series();
    boolean[] manyAny = anyPresent(many, n);
    boolean[] oneAny = anyPresent(one, n);
    Map<Labels, List<StepSeries>> oneBySig = new LinkedHashMap<>();
    for (StepSeries s : one) {
      oneBySig.computeIfAbsent(signature(s.labels(), m), k -> new ArrayList<>()).add(s);
    }
    checkOneSideUnique(oneBySig, m, manyAny, oneAny, swapped, n);
    SeriesCollector out = new SeriesCollector(n);
    // Per match group and step: which results were produced, to find ambiguous matches. The
    // arrays are looked up once per series, not per step, and results are told apart by their
    // slot (one per label set), so no label set is hashed in the step loop.
    Map<Labels, boolean[]> matchedOneToOne = new HashMap<>();
    Map<Labels, Set<SeriesCollector.Slot>[]> insertedManyToOne = new HashMap<>();
    boolean oneToOne = m.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE;
    for (StepSeries l : many) {
      Labels sig = signature(l.labels(), m);
      List<StepSeries> candidates = oneBySig.get(sig);
      if (candidates == null) {
        continue;
      }
      Map<StepSeries, SeriesCollector.Slot> slots = new HashMap<>();
      boolean[] matched =
          oneToOne ? matchedOneToOne.computeIfAbsent(sig, x -> new boolean[n]) : null;
      @SuppressWarnings("unchecked")
      Set<SeriesCollector.Slot>[] inserted =
          oneToOne
              ? null
              : insertedManyToOne.computeIfAbsent(
                  sig, x -> (Set<SeriesCollector.Slot>[]) new Set[n]);
      for (int i = 0; i < n; i++) {
        if (!l.has(i) || !oneAny[i]) {
          continue;
        }
        StepSeries r = null;
        for (StepSeries c : candidates) {
          if (c.has(i)) {
            r = c;
            break;
          }
        }
        if (r == null) {
          continue;
        }
        double vl = swapped ? r.value(i) : l.value(i);
        double vr = swapped ? l.value(i) : r.value(i);
        boolean keep = holds(b.op(), vl, vr);
        double value = arithmetic(b.op(), vl, vr);
        if (b.returnBool()) {
          value = keep ? 1 : 0;
        } else if (!keep) {
          continue;
        }
        final StepSeries oneSide = r;
        SeriesCollector.Slot slot =
            slots.computeIfAbsent(r, x -> out.slot(resultLabels(l.labels(), oneSide.labels(), b)));
        if (oneToOne) {
          if (matched[i]) {
            throw PromQLException.execution(
                "multiple matches for labels: many-to-one matching must be explicit"
                    + " (group_left/group_right)");
          }
          matched[i] = true;
        } else {
          if (inserted[i] == null) {
            inserted[i] = new HashSet<>();
          }
          if (!inserted[i].add(slot)) {
            throw PromQLException.execution(
                "multiple matches for labels: grouping labels must ensure unique matches");
          }
        }
        out.set(slot, i, value);
      }
    }
    return out.result();
  }

  private static boolean[] anyPresent(List<StepSeries> series, int n) {
    boolean[] any = new boolean[n];
    for (StepSeries s : series) {
      for (int i = 0; i < n; i++) {
        any[i] |= s.has(i);
      }
    }
    return any;
  }

  private static void checkOneSideUnique(
      Map<Labels, List<StepSeries>> oneBySig,
      VectorMatching m,
      boolean[] manyAny,
      boolean[] oneAny,
      boolean swapped,
      int n) {
    for (Map.Entry<Labels, List<StepSeries>> e : oneBySig.entrySet()) {
      List<StepSeries> group = e.getValue();
      if (group.size() < 2) {
        continue;
      }
      for (int i = 0; i < n; i++) {
        if (!manyAny[i] || !oneAny[i]) {
          continue;
        }
        StepSeries first = null;
        for (StepSeries s : group) {
          if (!s.has(i)) {
            continue;
          }
          if (first == null) {
            first = s;
            continue;
          }
          throw PromQLException.execution(
              "found duplicate series for the match group "
                  + LabelSets.format(e.getKey())
                  + " on the "
                  + (swapped ? "left" : "right")
                  + " hand-side of the operation: ["
                  + LabelSets.format(s.labels())
                  + ", "
                  + LabelSets.format(first.labels())
                  + "];many-to-many matching not allowed: matching labels must be unique on one"
                  + " side");
        }
      }
    }
  }

  /** Prometheus's resultMetric: the many side's labels, shaped by the operator and matching. */
  private static Labels resultLabels(Labels many, Labels one, BinaryExpr b) {
    VectorMatching m = b.matching();
    TreeMap<String, String> out = new TreeMap<>(many.asMap());
    if (dropsName(b.op())) {
      out.remove(LabelSets.METRIC_NAME);
    }
    switch (m.cardinality()) {
      case ONE_TO_ONE -> {
        if (m.on()) {
          out.keySet().retainAll(new HashSet<>(m.matchingLabels()));
        } else {
          m.matchingLabels().forEach(out::remove);
        }
      }
      case MANY_TO_ONE, ONE_TO_MANY -> {
        for (String name : m.include()) {
          String v = one.get(name);
          if (v.isEmpty()) {
            out.remove(name);
          } else {
            out.put(name, v);
          }
        }
      }
      case MANY_TO_MANY -> {}
    }
    if (b.returnBool()) {
      out.remove(LabelSets.METRIC_NAME);
    }
    return Labels.of(out);
  }
}
