package dev.sextant.promql.parser;

import dev.sextant.promql.value.GoFormat;
import dev.sextant.storage.query.LabelMatcher;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Prints an expression as canonical PromQL, in the layout Prometheus's String() methods use. */
final class Printer {
  private Printer() {}

  static String print(Expr e) {
    return switch (e) {
      case NumberLiteral n -> number(n.value());
      case StringLiteral s -> GoFormat.quote(s.value());
      case VectorSelector vs -> selector(vs) + at(vs.at()) + offset(vs.offsetMs());
      case MatrixSelector ms ->
          selector(ms.selector())
              + "["
              + Durations.format(ms.rangeMs())
              + "]"
              + at(ms.selector().at())
              + offset(ms.selector().offsetMs());
      case SubqueryExpr sq ->
          print(sq.expr())
              + "["
              + Durations.format(sq.rangeMs())
              + ":"
              + (sq.stepMs() == 0 ? "" : Durations.format(sq.stepMs()))
              + "]"
              + at(sq.at())
              + offset(sq.offsetMs());
      case Call c -> c.function().name() + "(" + join(c.args()) + ")";
      case AggregateExpr a -> aggregation(a);
      case BinaryExpr b -> binary(b);
      case UnaryExpr u -> (u.negate() ? "-" : "+") + print(u.expr());
      case ParenExpr p -> "(" + print(p.expr()) + ")";
    };
  }

  private static String join(List<Expr> args) {
    List<String> out = new ArrayList<>();
    for (Expr a : args) {
      out.add(print(a));
    }
    return String.join(", ", out);
  }

  private static String aggregation(AggregateExpr a) {
    StringBuilder s = new StringBuilder(a.op().text());
    if (a.without()) {
      s.append(" without (").append(String.join(", ", a.grouping())).append(") ");
    } else if (!a.grouping().isEmpty()) {
      s.append(" by (").append(String.join(", ", a.grouping())).append(") ");
    }
    s.append('(');
    if (a.param() != null) {
      s.append(print(a.param())).append(", ");
    }
    return s.append(print(a.expr())).append(')').toString();
  }

  private static String binary(BinaryExpr b) {
    StringBuilder s = new StringBuilder(print(b.lhs())).append(' ').append(b.op().text());
    if (b.returnBool()) {
      s.append(" bool");
    }
    VectorMatching vm = b.matching();
    boolean grouped =
        vm != null
            && (vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE
                || vm.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY);
    if (vm != null && (vm.on() || !vm.matchingLabels().isEmpty() || grouped)) {
      s.append(vm.on() ? " on (" : " ignoring (")
          .append(String.join(", ", vm.matchingLabels()))
          .append(')');
      if (grouped) {
        s.append(
                vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE
                    ? " group_left ("
                    : " group_right (")
            .append(String.join(", ", vm.include()))
            .append(')');
      }
    }
    return s.append(' ').append(print(b.rhs())).toString();
  }

  private static String selector(VectorSelector vs) {
    List<String> parts = new ArrayList<>();
    boolean nameIsIdentifier = vs.name() != null && isMetricName(vs.name());
    if (vs.name() != null && !nameIsIdentifier) {
      parts.add(GoFormat.quote(vs.name()));
    }
    for (LabelMatcher m : vs.matchers()) {
      if (vs.name() != null
          && m.name().equals(LabelMatcher.METRIC_NAME)
          && m.type() == LabelMatcher.Type.EQUAL
          && m.value().equals(vs.name())) {
        continue;
      }
      String name = Lexer.isLabelName(m.name()) ? m.name() : GoFormat.quote(m.name());
      parts.add(name + op(m.type()) + GoFormat.quote(m.value()));
    }
    String prefix = nameIsIdentifier ? vs.name() : "";
    if (parts.isEmpty()) {
      return prefix;
    }
    return prefix + "{" + String.join(", ", parts) + "}";
  }

  private static boolean isMetricName(String s) {
    if (s.isEmpty() || !(Lexer.isAlpha(s.charAt(0)) || s.charAt(0) == ':')) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!Lexer.isAlphaNumeric(s.charAt(i)) && s.charAt(i) != ':') {
        return false;
      }
    }
    // Words the lexer turns into keywords or numbers cannot stand alone as names.
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    return TokenType.keyword(lower) == null && !lower.equals("inf") && !lower.equals("nan");
  }

  private static String op(LabelMatcher.Type t) {
    return switch (t) {
      case EQUAL -> "=";
      case NOT_EQUAL -> "!=";
      case REGEX -> "=~";
      case NOT_REGEX -> "!~";
    };
  }

  private static String at(AtModifier at) {
    if (at == null) {
      return "";
    }
    return switch (at.kind()) {
      case START -> " @ start()";
      case END -> " @ end()";
      case TIMESTAMP -> " @ " + new BigDecimal(at.timestampMs()).movePointLeft(3).toPlainString();
    };
  }

  private static String offset(long offsetMs) {
    if (offsetMs == 0) {
      return "";
    }
    return offsetMs > 0
        ? " offset " + Durations.format(offsetMs)
        : " offset -" + Durations.format(-offsetMs);
  }

  /**
   * Go's %v for a float64: shortest digits, exponent form below 1e-4 and from 1e6 on (Go shortest
   * %g).
   */
  static String number(double v) {
    String special = GoFormat.special(v);
    if (special != null) {
      return special;
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1;
    if (exponent < -4 || exponent >= 6) {
      String digits = d.unscaledValue().abs().toString();
      String mantissa =
          digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String exp = String.format("%02d", Math.abs(exponent));
      return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }
    return d.toPlainString();
  }
}
