package dev.sextant.promql.value;

/**
 * Prometheus's staleness marker: a NaN with a particular bit pattern that ends a series for the
 * lookback of instant selectors. It is never returned by a query.
 */
public final class StaleMarker {
  public static final long BITS = 0x7ff0000000000002L;
  public static final double VALUE = Double.longBitsToDouble(BITS);

  private StaleMarker() {}

  public static boolean is(double v) {
    return Double.doubleToRawLongBits(v) == BITS;
  }
}
