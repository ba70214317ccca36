package dev.sextant.promql.functions;

/** A function refused its arguments at run time (Prometheus's function panics). */
public final class FunctionException extends RuntimeException {
  public FunctionException(String message) {
    super(message);
  }
}
