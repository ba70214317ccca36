package dev.sextant.storage.rollup;

import java.util.Arrays;

/**
 * A sum of doubles kept exactly, so that it does not depend on the order or grouping of its terms:
 * the sum of two rollups equals the sum over their points, bit for bit. Held as non-overlapping
 * partials (Shewchuk's algorithm, as Python's {@code math.fsum}); {@link #value()} is the exact sum
 * rounded once, to nearest even.
 *
 * <p>Non-finite terms are summed apart with IEEE rules (NaN wins, +Inf and -Inf give NaN). A sum of
 * finite terms that leaves the double range on the way ({@code 1e308 + 1e308 - 1e308}) records
 * ±Inf; only there can the grouping of terms change the result. Zero partials are dropped, so a sum
 * of -0.0 terms is 0.0. Equal when the values are equal.
 */
public final class ExactSum {
  public static final ExactSum ZERO = new ExactSum(new double[0], false, 0.0);

  private final double[] partials;
  private final boolean hasNonFinite;
  private final double nonFinite;

  private ExactSum(double[] partials, boolean hasNonFinite, double nonFinite) {
    this.partials = partials;
    this.hasNonFinite = hasNonFinite;
    this.nonFinite = nonFinite;
  }

  public static ExactSum of(double... terms) {
    Accumulator sum = new Accumulator();
    for (double term : terms) {
      sum.add(term);
    }
    return sum.toSum();
  }

  /**
   * A sum from its stored parts ({@link #partials()}, {@link #nonFinite()}); the partials are added
   * again, so any doubles give a valid sum.
   */
  public static ExactSum fromParts(double[] partials, double nonFinite) {
    Accumulator sum = new Accumulator();
    for (double partial : partials) {
      sum.add(partial);
    }
    if (!Double.isFinite(nonFinite)) {
      sum.addNonFinite(nonFinite);
    }
    return sum.toSum();
  }

  public ExactSum plus(double term) {
    Accumulator sum = new Accumulator(this);
    sum.add(term);
    return sum.toSum();
  }

  public ExactSum plus(ExactSum other) {
    Accumulator sum = new Accumulator(this);
    sum.add(other);
    return sum.toSum();
  }

  /** The exact sum rounded to the nearest double (ties to even), or the non-finite sum. */
  public double value() {
    if (hasNonFinite) {
      return nonFinite;
    }
    return roundedSum(partials, partials.length);
  }

  /** The finite partials, smallest magnitude first; their exact sum is the finite part. */
  public double[] partials() {
    return partials.clone();
  }

  /** The sum of the non-finite terms (NaN or ±Inf), or 0.0 when there were none. */
  public double nonFinite() {
    return hasNonFinite ? nonFinite : 0.0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExactSum other && Double.compare(value(), other.value()) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(value());
  }

  @Override
  public String toString() {
    return Double.toString(value());
  }

  /** Rounds the exact sum of the first n partials once (Python's {@code math_fsum} epilogue). */
  private static double roundedSum(double[] p, int count) {
    int n = count;
    if (n == 0) {
      return 0.0;
    }
    double hi = p[--n];
    double lo = 0.0;
    while (n > 0) {
      double x = hi;
      double y = p[--n];
      hi = x + y;
      double yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) {
        break;
      }
    }
    // Half-even rounding across partials: the rest below lo decides a tie.
    if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
      double y = lo * 2.0;
      double x = hi + y;
      double yr = x - hi;
      if (y == yr) {
        hi = x;
      }
    }
    return hi;
  }

  /** A mutable sum for loops; {@link #toSum()} freezes it. Not thread-safe. */
  public static final class Accumulator {
    private double[] partials;
    private int size;
    private boolean hasNonFinite;
    private double nonFinite;

    public Accumulator() {
      partials = new double[4];
    }

    Accumulator(ExactSum start) {
      partials = Arrays.copyOf(start.partials, Math.max(4, start.partials.length + 2));
      size = start.partials.length;
      hasNonFinite = start.hasNonFinite;
      nonFinite = start.nonFinite;
    }

    public void add(double term) {
      if (!Double.isFinite(term)) {
        addNonFinite(term);
        return;
      }
      double x = term;
      int kept = 0;
      for (int j = 0; j < size; j++) {
        double y = partials[j];
        if (Math.abs(x) < Math.abs(y)) {
          double t = x;
          x = y;
          y = t;
        }
        double hi = x + y;
        double lo = y - (hi - x);
        if (lo != 0.0) {
          partials[kept++] = lo;
        }
        x = hi;
      }
      size = kept;
      if (Double.isInfinite(x)) {
        // The finite terms left the double range: record the overflow as a non-finite term.
        addNonFinite(x);
      } else if (x != 0.0) {
        if (size == partials.length) {
          partials = Arrays.copyOf(partials, size * 2);
        }
        partials[size++] = x;
      }
    }

    void add(ExactSum other) {
      for (double partial : other.partials) {
        add(partial);
      }
      if (other.hasNonFinite) {
        addNonFinite(other.nonFinite);
      }
    }

    void addNonFinite(double term) {
      nonFinite = hasNonFinite ? nonFinite + term : term;
      hasNonFinite = true;
    }

    double value() {
      return hasNonFinite ? nonFinite : roundedSum(partials, size);
    }

    public ExactSum toSum() {
      if (size == 0 && !hasNonFinite) {
        return ZERO;
      }
      return new ExactSum(Arrays.copyOf(partials, size), hasNonFinite, nonFinite);
    }
  }
}
