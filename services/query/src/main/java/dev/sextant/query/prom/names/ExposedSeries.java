package dev.sextant.query.prom.names;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one stored series looks through the Prometheus API: its family name and labels after the OTLP
 * translation, and the float series it is exposed as ({@link Component}s). A counter or gauge is
 * one series; a histogram is {@code _bucket{le}}, {@code _sum} and {@code _count}; a summary is
 * {@code {quantile}}, {@code _sum} and {@code _count}.
 *
 * <p>OTLP resource identity becomes {@code job} ({@code service.namespace/service.name}, or {@code
 * service.name}) and {@code instance} ({@code service.instance.id}), as Prometheus 3's OTLP
 * receiver does by default; those three attributes are not labels of their own. Other labels are
 * renamed by {@link LabelNames}; two that end up with one name keep both values, joined by {@code
 * ;} in the order of their stored names.
 */
public record ExposedSeries(MetricSeries stored, String family, Labels labels) {
  static final String SERVICE_NAME = "service.name";
  static final String SERVICE_NAMESPACE = "service.namespace";
  static final String SERVICE_INSTANCE_ID = "service.instance.id";

  /** One float series of a stored series: its metric name and the label the points add. */
  public enum Component {
    /** A counter, up-down counter, gauge or untyped series: the family name itself. */
    VALUE("", null),
    BUCKET("_bucket", "le"),
    /** A summary's quantiles: the family name with {@code quantile}. */
    QUANTILE("", "quantile"),
    SUM("_sum", null),
    COUNT("_count", null);

    private final String suffix;
    private final String pointLabel;

    Component(String suffix, String pointLabel) {
      this.suffix = suffix;
      this.pointLabel = pointLabel;
    }

    /** The label each point adds ({@code le}, {@code quantile}), or null. */
    public String pointLabel() {
      return pointLabel;
    }

    public String name(String family) {
      return family + suffix;
    }
  }

  public static ExposedSeries of(MetricSeries series) {
    String family = MetricNames.family(series.name(), series.type(), series.unit());
    Labels labels =
        series.type() == MetricType.UNKNOWN ? series.labels() : translate(series.labels());
    return new ExposedSeries(series, family, labels);
  }

  public List<Component> components() {
    return switch (stored.type()) {
      case COUNTER, UP_DOWN_COUNTER, GAUGE, UNKNOWN -> List.of(Component.VALUE);
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM ->
          List.of(Component.BUCKET, Component.SUM, Component.COUNT);
      case SUMMARY -> List.of(Component.QUANTILE, Component.SUM, Component.COUNT);
    };
  }

  /** The labels of a component's series, with {@code __name__} and the point label if any. */
  public Labels labels(Component component, String pointLabelValue) {
    TreeMap<String, String> m = new TreeMap<>(labels.asMap());
    m.put("__name__", component.name(family));
    if (component.pointLabel() != null) {
      m.put(component.pointLabel(), pointLabelValue);
    }
    return Labels.of(m);
  }

  private static Labels translate(Labels stored) {
    Map<String, String> in = stored.asMap();
    TreeMap<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> l : in.entrySet()) {
      String key = l.getKey();
      if (key.equals(SERVICE_NAME)
          || key.equals(SERVICE_NAMESPACE)
          || key.equals(SERVICE_INSTANCE_ID)) {
        continue;
      }
      out.merge(LabelNames.of(key), l.getValue(), (first, second) -> first + ";" + second);
    }
    String service = in.get(SERVICE_NAME);
    if (service != null) {
      String namespace = in.get(SERVICE_NAMESPACE);
      out.put("job", namespace == null ? service : namespace + "/" + service);
    }
    String instance = in.get(SERVICE_INSTANCE_ID);
    if (instance != null) {
      out.put("instance", instance);
    }
    return Labels.of(out);
  }
}
