package dev.sextant.promql.functions;

import dev.sextant.model.Labels;
import dev.sextant.promql.parser.Expr;
import dev.sextant.promql.parser.MatrixSelector;
import dev.sextant.promql.parser.ParenExpr;
import dev.sextant.promql.parser.VectorSelector;
import dev.sextant.storage.query.LabelMatcher;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** The label set absent() and absent_over_time() answer with. */
public final class AbsentLabels {
  private AbsentLabels() {}

  /**
   * The labels absent() and absent_over_time() report: those of the selector's equality matchers,
   * except names matched more than once; nothing for other expressions.
   */
  public static Labels of(Expr e) {
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
