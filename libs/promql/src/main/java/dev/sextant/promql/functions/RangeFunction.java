package dev.sextant.promql.functions;

/**
 * A function of a range vector (and scalar arguments): one value per series and step, computed from
 * that step's window. The engine selects the samples, slides the windows and assembles the output;
 * the function only computes.
 */
public non-sealed interface RangeFunction extends FunctionImpl {

  /** Windows with fewer samples produce no output (rate needs two, most need one). */
  int minSamples();

  /** Whether the output keeps the metric name (only last_over_time does). */
  default boolean keepsName() {
    return false;
  }

  /**
   * The value for one window. {@code scalarArgs} are the other arguments at this step, in argument
   * order without the range vector.
   */
  double apply(Window w, double[] scalarArgs);
}
