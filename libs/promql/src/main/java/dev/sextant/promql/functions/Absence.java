package dev.sextant.promql.functions;

import dev.sextant.model.Labels;
import dev.sextant.promql.parser.Expr;
import dev.sextant.promql.parser.MatrixSelector;
import dev.sextant.promql.parser.ParenExpr;
import dev.sextant.promql.parser.VectorSelector;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Steps;
import dev.sextant.promql.value.Value;
import dev.sextant.storage.query.LabelMatcher;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** What absent() and absent_over_time() answer: 1, with the selector's labels, where nothing is. */
public final class Absence {
  private Absence() {}

  /** A series that is 1 at the steps where none of {@code present} has a sample. */
  public static Value.Vector of(Value.Vector present, Labels labels, Steps steps) {
    StepSeries out = new StepSeries(labels, steps.count());
    for (int i = 0; i < steps.count(); i++) {
      boolean any = false;
      for (StepSeries s : present.series()) {
        if (s.has(i)) {
          any = true;
          break;
        }
      }
      if (!any) {
        out.set(i, 1);
      }
    }
    return new Value.Vector(out.isEmpty() ? List.of() : List.of(out));
  }

  /**
   * The labels absent() and absent_over_time() report: those of the selector's equality matchers,
   * except names matched more than once; nothing for other expressions.
   */
  public static Labels labels(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    List<LabelMatcher> matchers;
    if (e instanceof VectorSelector vs) {
      matchers = vs.matchers();
    } else if (e instanceof MatrixSelector ms) {
      matchers = ms.selector().matchers();
    } else {
      return Labels.empty();
    }
    TreeMap<String, String> m = new TreeMap<>();
    Set<String> drop = new HashSet<>();
    for (LabelMatcher lm : matchers) {
      if (lm.name().equals(LabelMatcher.METRIC_NAME)) {
        continue;
      }
      if (lm.type() == LabelMatcher.Type.EQUAL && !m.containsKey(lm.name())) {
        m.put(lm.name(), lm.value());
      } else {
        drop.add(lm.name());
      }
    }
    m.keySet().removeAll(drop);
    return Labels.of(m);
  }
}
