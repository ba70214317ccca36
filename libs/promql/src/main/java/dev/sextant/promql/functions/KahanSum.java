package dev.sextant.promql.functions;

/** Neumaier-compensated summation, as Prometheus's kahanSumInc. */
final class KahanSum {
  double sum;
  double c;

  void add(double inc) {
    double t = sum + inc;
    if (Math.abs(sum) >= Math.abs(inc)) {
      c += (sum - t) + inc;
    } else {
      c += (inc - t) + sum;
    }
    sum = t;
  }

  double value() {
    return sum + c;
  }
}
