package dev.sextant.ingest.otlp;

import dev.sextant.protocol.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Summary points: a count in range, a finite sum, quantiles within [0, 1] and each given once. A
 * quantile's value may be NaN: that is how a summary says it saw nothing in its window (Prometheus
 * exposes exactly that), so it is kept rather than refused.
 */
final class SummaryCheck {
  private SummaryCheck() {}

  static Problem check(SummaryDataPoint point) {
    if (point.getCount() < 0) {
      return invalid("count is beyond the signed 64-bit range");
    }
    Problem problem = OtlpMetricNormalizer.checkDouble(point.getSum(), "sum", false);
    if (problem != null) {
      return problem;
    }
    List<Double> seen = new ArrayList<>();
    for (SummaryDataPoint.ValueAtQuantile q : point.getQuantileValuesList()) {
      double quantile = q.getQuantile();
      if (!(quantile >= 0 && quantile <= 1)) {
        return invalid("quantile " + quantile + " is outside [0, 1]");
      }
      if (seen.contains(quantile)) {
        return invalid("quantile " + quantile + " is given twice");
      }
      seen.add(quantile);
      if (Double.isInfinite(q.getValue())) {
        return new Problem(
            RejectReason.INFINITE_VALUE, "the value at quantile " + quantile + " is infinite");
      }
    }
    return null;
  }

  /** The summary with its quantiles sorted. */
  static Summary toSummary(SummaryDataPoint point) {
    Summary.Builder summary =
        Summary.newBuilder().setCount(point.getCount()).setSum(point.getSum());
    point.getQuantileValuesList().stream()
        .sorted(Comparator.comparingDouble(SummaryDataPoint.ValueAtQuantile::getQuantile))
        .forEach(
            q ->
                summary.addQuantiles(
                    Summary.Quantile.newBuilder()
                        .setQuantile(q.getQuantile())
                        .setValue(q.getValue())));
    return summary.build();
  }

  private static Problem invalid(String detail) {
    return new Problem(RejectReason.INVALID_SUMMARY, detail);
  }
}
