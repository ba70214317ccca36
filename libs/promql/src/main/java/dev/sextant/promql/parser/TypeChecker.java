package dev.sextant.promql.parser;

import java.util.List;

/** Builds the nodes whose argument types must be checked, with Prometheus's error messages. */
final class TypeChecker {
  private TypeChecker() {}

  static Expr binary(
      BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool, int opPos) {
    PositionRange pos = new PositionRange(lhs.position().start(), rhs.position().end());
    ValueType lt = lhs.type();
    ValueType rt = rhs.type();
    if (returnBool && !op.isComparison()) {
      throw new ParseException(opPos, "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !returnBool && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      throw new ParseException(opPos, "comparisons between scalars must use BOOL modifier");
    }
    if (matching.on()) {
      for (String l : matching.matchingLabels()) {
        if (matching.include().contains(l)) {
          throw new ParseException(
              opPos, "label \"" + l + "\" must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
      throw new ParseException(
          lhs.position().start(),
          "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
      throw new ParseException(
          rhs.position().start(),
          "binary expression must contain only scalar and instant vector types");
    }
    VectorMatching kept = matching;
    if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
      if (!matching.matchingLabels().isEmpty() || matching.on()) {
        throw new ParseException(
            pos.start(), "vector matching only allowed between instant vectors");
      }
      kept = null;
    }
    if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
      throw new ParseException(
          pos.start(),
          "set operator \"" + op.text() + "\" not allowed in binary scalar expression");
    }
    return new BinaryExpr(op, lhs, rhs, kept, returnBool, pos);
  }

  static Expr call(FunctionSignature f, List<Expr> args, PositionRange pos) {
    int declared = f.argTypes().size();
    if (f.variadic() == 0) {
      if (declared != args.size()) {
        throw new ParseException(
            pos.start(),
            "expected "
                + declared
                + " argument(s) in call to \""
                + f.name()
                + "\", got "
                + args.size());
      }
    } else {
      int required = declared - 1;
      if (required > args.size()) {
        throw new ParseException(
            pos.start(),
            "expected at least "
                + required
                + " argument(s) in call to \""
                + f.name()
                + "\", got "
                + args.size());
      }
      int max = required + f.variadic();
      if (f.variadic() > 0 && max < args.size()) {
        throw new ParseException(
            pos.start(),
            "expected at most "
                + max
                + " argument(s) in call to \""
                + f.name()
                + "\", got "
                + args.size());
      }
    }
    for (int i = 0; i < args.size(); i++) {
      expectType(args.get(i), f.argType(i), "call to function \"" + f.name() + "\"");
    }
    return new Call(f, args, pos);
  }

  static Expr aggregation(
      AggregationOp op,
      List<Expr> args,
      List<String> grouping,
      boolean without,
      PositionRange pos) {
    ValueType paramType = op.parameterType();
    int expected = paramType == null ? 1 : 2;
    if (args.size() != expected) {
      throw new ParseException(
          pos.start(),
          "wrong number of arguments for aggregate expression provided, expected "
              + expected
              + ", got "
              + args.size());
    }
    Expr expr = args.get(expected - 1);
    expectType(expr, ValueType.VECTOR, "aggregation expression");
    Expr param = null;
    if (paramType != null) {
      param = args.get(0);
      expectType(param, paramType, "aggregation parameter");
    }
    return new AggregateExpr(op, expr, param, grouping, without, pos);
  }

  private static void expectType(Expr e, ValueType want, String context) {
    if (e.type() != want) {
      throw new ParseException(
          e.position().start(), "expected type " + want + " in " + context + ", got " + e.type());
    }
  }
}
