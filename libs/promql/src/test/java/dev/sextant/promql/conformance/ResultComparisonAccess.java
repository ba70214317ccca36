package dev.sextant.promql.conformance;

/** The value comparison of the conformance test, for the script tests in another package. */
public final class ResultComparisonAccess {
  private ResultComparisonAccess() {}

  public static boolean close(double x, double y) {
    return ResultComparison.close(x, y);
  }
}
