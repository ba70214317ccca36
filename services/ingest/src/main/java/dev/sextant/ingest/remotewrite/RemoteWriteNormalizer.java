package dev.sextant.ingest.remotewrite;

import dev.sextant.ingest.otlp.Normalized;
import dev.sextant.ingest.otlp.RejectReason;
import dev.sextant.ingest.otlp.Rejections;
import dev.sextant.ingest.otlp.Truncations;
import dev.sextant.ingest.otlp.Utf8;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import dev.sextant.protocol.prometheus.Sample;
import dev.sextant.protocol.prometheus.TimeSeries;
import dev.sextant.protocol.prometheus.WriteRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Remote-write samples into the points streamed to the aggregator: each sample one point of type
 * UNKNOWN (stored and queried like a gauge, no temporality), named by {@code __name__}, labelled by
 * the other labels as sent (Prometheus names already: nothing is translated). Values are kept bit
 * for bit, so the staleness marker (a NaN with its own payload) survives; times go from
 * milliseconds to nanoseconds.
 *
 * <p>Refused per series, with all its samples: no {@code __name__}, an empty or repeated label
 * name, more labels than {@code max-attributes-per-record}, a value longer than {@code
 * max-attribute-value-bytes}. Refused per sample: a time at or before 1970, beyond 2262, or past
 * the allowed clock skew. Native histograms (not part of remote write 1.0) are refused and counted;
 * exemplars are ignored. Labels with an empty value are left out, as Prometheus reads an empty
 * label as an absent one.
 */
public final class RemoteWriteNormalizer {
  private static final String NAME = "__name__";

  private final int maxLabels;
  private final int maxValueBytes;
  private final Duration maxSkew;

  public RemoteWriteNormalizer(int maxLabels, int maxValueBytes, Duration maxSkew) {
    this.maxLabels = maxLabels;
    this.maxValueBytes = maxValueBytes;
    this.maxSkew = maxSkew;
  }

  /** Samples and native histograms in a request, for admission before any work is done. */
  public static int count(WriteRequest request) {
    int count = 0;
    for (TimeSeries ts : request.getTimeseriesList()) {
      count += ts.getSamplesCount() + ts.getHistogramsCount();
    }
    return count;
  }

  public Normalized<MetricPoint> normalize(WriteRequest request, long nowUnixNanos) {
    long latestMs = latestMillis(nowUnixNanos);
    List<MetricPoint> points = new ArrayList<>(count(request));
    Rejections rejections = new Rejections();
    for (TimeSeries ts : request.getTimeseriesList()) {
      if (ts.getHistogramsCount() > 0) {
        rejections.reject(
            RejectReason.UNSUPPORTED_METRIC_TYPE,
            "native histograms are not supported",
            ts.getHistogramsCount());
      }
      if (ts.getSamplesCount() == 0) {
        continue;
      }
      MetricPoint.Builder template = MetricPoint.newBuilder();
      SeriesProblem problem = labels(ts, template);
      if (problem != null) {
        rejections.reject(problem.reason(), problem.detail(), ts.getSamplesCount());
        continue;
      }
      template.setType(MetricType.METRIC_TYPE_UNKNOWN).setTemporality(Temporality.TEMPORALITY_NONE);
      for (Sample s : ts.getSamplesList()) {
        long ms = s.getTimestamp();
        if (ms <= 0 || ms > Long.MAX_VALUE / 1_000_000L) {
          rejections.reject(
              RejectReason.TIME_OUT_OF_RANGE,
              "sample timestamp " + ms + " ms is not between 1970 and 2262");
        } else if (ms > latestMs) {
          rejections.reject(
              RejectReason.TIME_IN_FUTURE,
              "sample timestamp " + ms + " ms is more than the allowed clock skew in the future");
        } else {
          points.add(template.setTimeUnixNano(ms * 1_000_000L).setNumber(s.getValue()).build());
        }
      }
    }
    return new Normalized<>(points, count(request), rejections, new Truncations());
  }

  /** Why a series is refused. */
  private record SeriesProblem(RejectReason reason, String detail) {
    static SeriesProblem labels(String detail) {
      return new SeriesProblem(RejectReason.INVALID_LABELS, detail);
    }
  }

  /** Fills the name and labels of {@code point}; why the series is refused, or null. */
  private SeriesProblem labels(TimeSeries ts, MetricPoint.Builder point) {
    if (ts.getLabelsCount() > maxLabels + 1) {
      return SeriesProblem.labels("more than " + maxLabels + " labels");
    }
    Set<String> seen = new HashSet<>(ts.getLabelsCount() * 2);
    String name = null;
    for (dev.sextant.protocol.prometheus.Label l : ts.getLabelsList()) {
      String labelName = l.getName();
      if (labelName.isEmpty()) {
        return SeriesProblem.labels("empty label name");
      }
      if (!seen.add(labelName)) {
        return SeriesProblem.labels("label " + abbreviate(labelName) + " given twice");
      }
      if (Utf8.length(l.getValue()) > maxValueBytes) {
        return SeriesProblem.labels(
            "label " + abbreviate(labelName) + " is longer than " + maxValueBytes + " bytes");
      }
      if (labelName.equals(NAME)) {
        name = l.getValue();
      } else if (!l.getValue().isEmpty()) {
        point.addLabels(Label.newBuilder().setName(labelName).setValue(l.getValue()));
      }
    }
    if (name == null || name.isEmpty()) {
      return new SeriesProblem(RejectReason.MISSING_METRIC_NAME, "no " + NAME + " label");
    }
    point.setName(name);
    return null;
  }

  private long latestMillis(long nowUnixNanos) {
    long skewMs = maxSkew.toMillis();
    long nowMs = nowUnixNanos / 1_000_000L;
    return nowMs > Long.MAX_VALUE - skewMs ? Long.MAX_VALUE : nowMs + skewMs;
  }

  private static String abbreviate(String s) {
    return '\'' + (s.length() <= 100 ? s : s.substring(0, 100) + "...") + '\'';
  }
}
