package dev.sextant.tracespec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Writes a spec in the form {@link SpecParser} reads, so a written spec parses back equal. */
public final class SpecWriter {
  private SpecWriter() {}

  public static String write(TraceSpec spec, SpecFormat format) {
    try {
      return format == SpecFormat.JSON
          ? format.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree(spec))
          : format.mapper().writeValueAsString(tree(spec));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a spec tree always serialises", e);
    }
  }

  public static ObjectNode tree(TraceSpec spec) {
    ObjectNode root = SpecFormat.JSON_MAPPER.createObjectNode();
    if (!spec.description().isEmpty()) {
      root.put("description", spec.description());
    }
    if (spec.ordered()) {
      root.put("ordered", true);
    }
    if (spec.allowExtra()) {
      root.put("allowExtra", true);
    }
    ArrayNode spans = root.putArray("spans");
    spec.spans().forEach(m -> spans.add(matcher(m)));
    if (!spec.metricWindow().equals(MetricWindow.DEFAULT)) {
      ObjectNode w = root.putObject("metricWindow");
      w.put("lookback", Durations.format(spec.metricWindow().lookbackNanos()));
      w.put("after", Durations.format(spec.metricWindow().afterNanos()));
    }
    if (!spec.metrics().isEmpty()) {
      ArrayNode metrics = root.putArray("metrics");
      spec.metrics().forEach(m -> metrics.add(metric(m)));
    }
    if (!spec.logs().isEmpty()) {
      ArrayNode logs = root.putArray("logs");
      spec.logs().forEach(l -> logs.add(log(l)));
    }
    return root;
  }

  private static ObjectNode metric(MetricExpectation m) {
    ObjectNode node = SpecFormat.JSON_MAPPER.createObjectNode();
    putPattern(node, "name", m.name());
    putPredicates(node, "labels", m.labels());
    if (m.value() != null) {
      node.set("value", predicate(m.value()));
    }
    if (m.delta() != null) {
      node.set("delta", predicate(m.delta()));
    }
    putCount(node, m.count(), CountRange.atLeast(1));
    return node;
  }

  private static ObjectNode log(LogExpectation l) {
    ObjectNode node = SpecFormat.JSON_MAPPER.createObjectNode();
    if (l.level() != null) {
      node.put("level", l.level().name());
    }
    if (l.minLevel() != null) {
      node.put("minLevel", l.minLevel().name());
    }
    putPattern(node, "message", l.message());
    putPredicates(node, "attributes", l.attributes());
    if (l.span() != null) {
      node.put("span", l.span());
    }
    putCount(node, l.count(), CountRange.atLeast(1));
    return node;
  }

  private static void putCount(ObjectNode node, CountRange count, CountRange byDefault) {
    if (count.equals(byDefault)) {
      return;
    }
    if (count.min() == count.max()) {
      node.put("count", count.min());
    } else {
      node.put("count", count.toString());
    }
  }

  private static void putPredicates(
      ObjectNode node, String key, Map<String, AttributePredicate> predicates) {
    if (!predicates.isEmpty()) {
      ObjectNode attrs = node.putObject(key);
      for (Map.Entry<String, AttributePredicate> e : predicates.entrySet()) {
        attrs.set(e.getKey(), predicate(e.getValue()));
      }
    }
  }

  private static ObjectNode matcher(SpanMatcher m) {
    ObjectNode node = SpecFormat.JSON_MAPPER.createObjectNode();
    if (m.id() != null) {
      node.put("id", m.id());
    }
    putPattern(node, "name", m.name());
    putPattern(node, "type", m.type());
    if (m.kind() != null) {
      node.put("kind", m.kind().name());
    }
    putPattern(node, "service", m.service());
    if (m.status() != null) {
      node.put("status", m.status().name());
    }
    if (m.duration() != null) {
      ObjectNode d = node.putObject("duration");
      if (m.duration().minNanos() != DurationBounds.NONE) {
        d.put("min", Durations.format(m.duration().minNanos()));
      }
      if (m.duration().maxNanos() != DurationBounds.NONE) {
        d.put("max", Durations.format(m.duration().maxNanos()));
      }
    }
    putCount(node, m.count(), CountRange.ONE);
    putPredicates(node, "attributes", m.attributes());
    if (m.ordered()) {
      node.put("ordered", true);
    }
    if (m.allowExtra()) {
      node.put("allowExtra", true);
    }
    if (!m.children().isEmpty()) {
      ArrayNode children = node.putArray("children");
      m.children().forEach(c -> children.add(matcher(c)));
    }
    return node;
  }

  private static JsonNode predicate(AttributePredicate p) {
    ObjectNode o = SpecFormat.JSON_MAPPER.createObjectNode();
    return switch (p) {
      case AttributePredicate.Equals e ->
          e.expected() instanceof Map<?, ?>
              ? o.set("equals", SpecFormat.JSON_MAPPER.valueToTree(e.expected()))
              : SpecFormat.JSON_MAPPER.valueToTree(e.expected());
      case AttributePredicate.Matches m ->
          o.put(
              m.pattern().kind() == TextPattern.Kind.REGEX ? "regex" : "glob",
              m.pattern().source());
      case AttributePredicate.Exists x -> o.put("exists", true);
      case AttributePredicate.Absent a -> o.put("absent", true);
      case AttributePredicate.Range r -> {
        if (r.min() != null) {
          o.put("min", r.min());
        }
        if (r.max() != null) {
          o.put("max", r.max());
        }
        yield o;
      }
    };
  }

  private static void putPattern(ObjectNode node, String key, TextPattern p) {
    if (p == null) {
      return;
    }
    if (p.kind() == TextPattern.Kind.GLOB) {
      node.put(key, p.source());
    } else {
      node.putObject(key).put("regex", p.source());
    }
  }
}
