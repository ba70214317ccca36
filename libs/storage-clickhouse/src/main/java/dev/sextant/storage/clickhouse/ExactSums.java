package dev.sextant.storage.clickhouse;

import dev.sextant.storage.rollup.ExactSum;
import java.math.BigInteger;

/**
 * Exact sums of a Float64 expression computed by ClickHouse, so that a total it computes equals
 * {@link ExactSum} over the same values bit for bit, whatever order it adds them in. Every finite
 * double is an integer significand times a power of two set by its exponent field, so ClickHouse
 * sums the signed significands per exponent field as Int128 ({@code sumMap}: at most 2,046 keys,
 * exact below 2^74 terms) and this class adds those up exactly. The values must be finite (metric
 * events' values and costs are).
 */
final class ExactSums {
  private static final BigInteger LOW_64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final int CHUNK_BITS = 52;
  private static final long CHUNK = (1L << CHUNK_BITS) - 1;

  private ExactSums() {}

  /**
   * The column {@link #read} reads: sums per exponent field of {@code x} where {@code condition}.
   */
  static String partsSql(String x, String condition) {
    String bits = "reinterpretAsUInt64(" + x + ")";
    String exponent = "toUInt16(bitAnd(bitShiftRight(" + bits + ", 52), 2047))";
    String fraction = "bitAnd(" + bits + ", 4503599627370495)";
    // Normal numbers have the implicit leading bit; subnormals (exponent field 0) do not.
    String significand =
        "toInt128(if(" + exponent + " = 0, " + fraction + ", " + fraction + " + 4503599627370496))";
    String signed = "if(bitTest(" + bits + ", 63), -" + significand + ", " + significand + ")";
    return "sumMapIf([" + exponent + "], [" + signed + "], " + condition + ")";
  }

  /** Reads the column of {@link #partsSql} as the exact sum. */
  static ExactSum read(RowBinaryInput in) {
    int exponents = Math.toIntExact(in.varint());
    int[] fields = new int[exponents];
    for (int i = 0; i < exponents; i++) {
      byte[] le = in.raw(2);
      fields[i] = (le[0] & 0xFF) | (le[1] & 0xFF) << 8;
    }
    int sums = Math.toIntExact(in.varint());
    if (sums != exponents) {
      throw new IllegalStateException("sumMap answered " + exponents + " keys, " + sums + " sums");
    }
    // The finite sum in units of the least subnormal, 2^-1074.
    BigInteger total = BigInteger.ZERO;
    for (int i = 0; i < sums; i++) {
      BigInteger low = BigInteger.valueOf(in.int64()).and(LOW_64);
      BigInteger sum = BigInteger.valueOf(in.int64()).shiftLeft(64).or(low);
      total = total.add(sum.shiftLeft(Math.max(fields[i], 1) - 1));
    }
    return ExactSum.fromParts(partials(total), 0.0);
  }

  /** Doubles whose exact sum is {@code units} * 2^-1074: chunks of 52 bits, each exact. */
  static double[] partials(BigInteger units) {
    BigInteger magnitude = units.abs();
    int chunks = (magnitude.bitLength() + CHUNK_BITS - 1) / CHUNK_BITS;
    double[] parts = new double[chunks];
    for (int i = 0; i < chunks; i++) {
      long chunk = magnitude.shiftRight(i * CHUNK_BITS).longValue() & CHUNK;
      double part = Math.scalb((double) chunk, i * CHUNK_BITS - 1074);
      parts[i] = units.signum() < 0 ? -part : part;
    }
    return parts;
  }
}
