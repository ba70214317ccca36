package dev.sextant.tracespec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a spec from YAML or JSON. Strict: an unknown key, a value of the wrong type, an invalid
 * pattern, count or duration is a {@link TraceSpecException} whose message names the place, such as
 * {@code spans[0].children[2].attributes.gen_ai.usage.input_tokens}. The format is documented in
 * this module's README.
 */
public final class SpecParser {
  /** Most matchers in one spec. */
  public static final int MAX_MATCHERS = 10_000;

  private static final Set<String> TOP =
      Set.of("description", "spans", "ordered", "allowExtra", "metrics", "logs", "metricWindow");
  private static final Set<String> MATCHER =
      Set.of(
          "id",
          "name",
          "type",
          "kind",
          "service",
          "status",
          "duration",
          "attributes",
          "count",
          "ordered",
          "allowExtra",
          "children");
  private static final Set<String> METRIC = Set.of("name", "labels", "value", "delta", "count");
  private static final Set<String> LOG =
      Set.of("level", "minLevel", "message", "attributes", "span", "count");
  private static final Set<String> WINDOW = Set.of("lookback", "after");
  private static final Set<String> NUMBER_RANGE = Set.of("min", "max");
  private static final Set<String> LABEL_PREDICATE =
      Set.of("equals", "regex", "glob", "exists", "absent");
  private static final java.util.regex.Pattern ID =
      java.util.regex.Pattern.compile("[\\w.-]{1,100}");
  private static final Set<String> PATTERN = Set.of("glob", "regex");
  private static final Set<String> DURATION = Set.of("min", "max");
  private static final Set<String> PREDICATE =
      Set.of("equals", "regex", "glob", "exists", "absent", "min", "max");

  private int matchers;

  private SpecParser() {}

  public static TraceSpec parse(String text, SpecFormat format) {
    if (text == null || text.isBlank()) {
      throw TraceSpecException.invalid("", "the spec is empty");
    }
    if (text.length() > SpecFormat.MAX_CHARS) {
      throw TraceSpecException.invalid(
          "", "the spec is " + text.length() + " characters, at most " + SpecFormat.MAX_CHARS);
    }
    JsonNode root;
    try {
      root = format.mapper().readTree(text);
    } catch (JacksonException e) {
      throw TraceSpecException.invalid("", "not valid " + format + ": " + e.getOriginalMessage());
    } catch (RuntimeException e) {
      // SnakeYAML reports its own limits (aliases, nesting, size) as unchecked exceptions.
      throw TraceSpecException.invalid("", "not valid " + format + ": " + e.getMessage());
    }
    return parse(root);
  }

  public static TraceSpec parse(JsonNode root) {
    return new SpecParser().spec(root);
  }

  private TraceSpec spec(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw TraceSpecException.invalid("", "a spec is an object with a list of \"spans\"");
    }
    known("", root, TOP);
    JsonNode spans = root.get("spans");
    if (spans == null) {
      throw TraceSpecException.invalid(
          "", "missing \"spans\": the matchers of the top-level spans");
    }
    List<SpanMatcher> matchers = list("spans", spans);
    Map<String, SpanMatcher> ids = matcherIds(matchers);
    return new TraceSpec(
        text("description", root.get("description")),
        matchers,
        bool("ordered", root.get("ordered")),
        bool("allowExtra", root.get("allowExtra")),
        metrics(root.get("metrics")),
        logs(root.get("logs"), ids),
        window(root.get("metricWindow")));
  }

  /**
   * The matchers of a spec by their {@code id}, at any depth.
   *
   * @throws TraceSpecException when two matchers share an id
   */
  static Map<String, SpanMatcher> matcherIds(List<SpanMatcher> matchers) {
    Map<String, SpanMatcher> out = new LinkedHashMap<>();
    collectIds(matchers, out);
    return out;
  }

  private static void collectIds(List<SpanMatcher> matchers, Map<String, SpanMatcher> out) {
    for (SpanMatcher m : matchers) {
      if (m.id() != null && out.putIfAbsent(m.id(), m) != null) {
        throw TraceSpecException.invalid(
            "spans", "two span matchers have the id \"" + m.id() + "\"; ids name one matcher");
      }
      collectIds(m.children(), out);
    }
  }

  private List<MetricExpectation> metrics(JsonNode node) {
    List<MetricExpectation> out = new ArrayList<>();
    for (JsonNode item : items("metrics", node, "metric expectations")) {
      String path = "metrics[" + out.size() + "]";
      counted(path);
      if (!item.isObject()) {
        throw TraceSpecException.invalid(path, "a metric expectation is an object");
      }
      known(path, item, METRIC);
      TextPattern name = pattern(path + ".name", item.get("name"));
      if (name == null) {
        throw TraceSpecException.invalid(path, "missing \"name\": the metric's name");
      }
      out.add(
          new MetricExpectation(
              name,
              labels(path + ".labels", item.get("labels")),
              numberRange(path + ".value", item.get("value")),
              numberRange(path + ".delta", item.get("delta")),
              item.has("count") ? count(path + ".count", item.get("count")) : null));
    }
    return out;
  }

  private List<LogExpectation> logs(JsonNode node, Map<String, SpanMatcher> ids) {
    List<LogExpectation> out = new ArrayList<>();
    for (JsonNode item : items("logs", node, "log expectations")) {
      String path = "logs[" + out.size() + "]";
      counted(path);
      if (!item.isObject()) {
        throw TraceSpecException.invalid(path, "a log expectation is an object");
      }
      known(path, item, LOG);
      LogLevel level = enumOf(path + ".level", item.get("level"), LogLevel.class);
      LogLevel minLevel = enumOf(path + ".minLevel", item.get("minLevel"), LogLevel.class);
      if (level != null && minLevel != null) {
        throw TraceSpecException.invalid(path, "give level or minLevel, not both");
      }
      String span = item.has("span") ? text(path + ".span", item.get("span")) : null;
      if (span != null && !span.equals(LogExpectation.ANY_SPAN) && !ids.containsKey(span)) {
        throw TraceSpecException.invalid(
            path + ".span",
            "no span matcher has the id \""
                + span
                + "\"; give a matcher \"id: "
                + span
                + "\", or write \"*\" for any span of the trace"
                + (ids.isEmpty() ? "" : " (ids: " + String.join(", ", ids.keySet()) + ")"));
      }
      out.add(
          new LogExpectation(
              level,
              minLevel,
              pattern(path + ".message", item.get("message")),
              attributes(path + ".attributes", item.get("attributes")),
              span,
              item.has("count") ? count(path + ".count", item.get("count")) : null));
    }
    return out;
  }

  private static List<JsonNode> items(String path, JsonNode node, String what) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw TraceSpecException.invalid(path, "expected a list of " + what);
    }
    List<JsonNode> out = new ArrayList<>();
    node.forEach(out::add);
    return out;
  }

  private void counted(String path) {
    if (++matchers > MAX_MATCHERS) {
      throw TraceSpecException.invalid(
          path, "a spec holds at most " + MAX_MATCHERS + " matchers and expectations");
    }
  }

  private static MetricWindow window(JsonNode node) {
    if (node == null || node.isNull()) {
      return MetricWindow.DEFAULT;
    }
    String path = "metricWindow";
    if (!node.isObject()) {
      throw TraceSpecException.invalid(path, "expected {lookback: 1h, after: 1m}");
    }
    known(path, node, WINDOW);
    long lookback =
        node.has("lookback")
            ? Durations.parseNanos(path + ".lookback", text(path, node.get("lookback")))
            : MetricWindow.DEFAULT.lookbackNanos();
    long after =
        node.has("after")
            ? Durations.parseNanos(path + ".after", text(path, node.get("after")))
            : MetricWindow.DEFAULT.afterNanos();
    if (lookback > MetricWindow.MAX_LOOKBACK_NANOS) {
      throw TraceSpecException.invalid(path + ".lookback", "at most 1h");
    }
    if (after > MetricWindow.MAX_AFTER_NANOS) {
      throw TraceSpecException.invalid(path + ".after", "at most 10m");
    }
    return new MetricWindow(lookback, after);
  }

  /** Label predicates: labels are text, so no numeric ranges, and scalars compare as text. */
  private static Map<String, AttributePredicate> labels(String path, JsonNode node) {
    return predicates(path, node, "label", SpecParser::labelPredicate);
  }

  private static AttributePredicate labelPredicate(String path, JsonNode node) {
    if (node.isValueNode() && !node.isNull()) {
      return new AttributePredicate.Equals(text(path, node));
    }
    if (!node.isObject()) {
      throw TraceSpecException.invalid(path, "a label is text: expected a value or a predicate");
    }
    known(path, node, LABEL_PREDICATE);
    AttributePredicate p = predicate(path, node);
    return p instanceof AttributePredicate.Equals eq && !(eq.expected() instanceof String)
        ? new AttributePredicate.Equals(AttributePredicate.Values.show(eq.expected()))
        : p;
  }

  private static AttributePredicate.Range numberRange(String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isNumber()) {
      double v = number(path, node);
      return new AttributePredicate.Range(v, v);
    }
    if (!node.isObject()) {
      throw TraceSpecException.invalid(
          path, "expected a number or {min: a, max: b}, got " + kindOf(node));
    }
    known(path, node, NUMBER_RANGE);
    if (node.isEmpty()) {
      throw TraceSpecException.invalid(path, "give min, max or both");
    }
    Double min = number(path + ".min", node.get("min"));
    Double max = number(path + ".max", node.get("max"));
    if (min != null && max != null && max < min) {
      throw TraceSpecException.invalid(path, "max is below min");
    }
    return new AttributePredicate.Range(min, max);
  }

  private List<SpanMatcher> list(String path, JsonNode node) {
    if (!node.isArray()) {
      throw TraceSpecException.invalid(path, "expected a list of span matchers");
    }
    List<SpanMatcher> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(matcher(path + "[" + i + "]", node.get(i)));
    }
    return out;
  }

  private SpanMatcher matcher(String path, JsonNode node) {
    if (!node.isObject()) {
      throw TraceSpecException.invalid(path, "a span matcher is an object, got " + kindOf(node));
    }
    counted(path);
    known(path, node, MATCHER);
    String id = null;
    if (node.has("id")) {
      id = text(path + ".id", node.get("id"));
      if (!ID.matcher(id).matches()) {
        throw TraceSpecException.invalid(
            path + ".id", "an id is 1 to 100 letters, digits, '_', '.' or '-'");
      }
    }
    JsonNode count = node.get("count");
    JsonNode children = node.get("children");
    return new SpanMatcher(
        pattern(path + ".name", node.get("name")),
        pattern(path + ".type", node.get("type")),
        enumOf(path + ".kind", node.get("kind"), SpanKind.class),
        pattern(path + ".service", node.get("service")),
        enumOf(path + ".status", node.get("status"), StatusCode.class),
        duration(path + ".duration", node.get("duration")),
        attributes(path + ".attributes", node.get("attributes")),
        count == null ? CountRange.ONE : count(path + ".count", count),
        bool(path + ".ordered", node.get("ordered")),
        bool(path + ".allowExtra", node.get("allowExtra")),
        children == null ? List.of() : list(path + ".children", children),
        id);
  }

  private static TextPattern pattern(String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return TextPattern.parse(path, TextPattern.Kind.GLOB, node.asText());
    }
    if (node.isObject()) {
      known(path, node, PATTERN);
      if (node.size() != 1) {
        throw TraceSpecException.invalid(path, "give exactly one of glob or regex");
      }
      String key = node.fieldNames().next();
      return TextPattern.parse(
          path + "." + key,
          key.equals("regex") ? TextPattern.Kind.REGEX : TextPattern.Kind.GLOB,
          text(path + "." + key, node.get(key)));
    }
    throw TraceSpecException.invalid(
        path, "expected a glob string or {regex: ...}, got " + kindOf(node));
  }

  private static <E extends Enum<E>> E enumOf(String path, JsonNode node, Class<E> type) {
    if (node == null || node.isNull()) {
      return null;
    }
    String text = text(path, node);
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw TraceSpecException.invalid(
          path,
          "unknown value \""
              + text
              + "\", expected one of "
              + Arrays.toString(type.getEnumConstants()));
    }
  }

  private static DurationBounds duration(String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw TraceSpecException.invalid(path, "expected {min: 1ms, max: 5s}, got " + kindOf(node));
    }
    known(path, node, DURATION);
    long min =
        node.has("min") ? Durations.parseNanos(path + ".min", text(path, node.get("min"))) : -1;
    long max =
        node.has("max") ? Durations.parseNanos(path + ".max", text(path, node.get("max"))) : -1;
    if (min < 0 && max < 0) {
      throw TraceSpecException.invalid(path, "give min, max or both");
    }
    if (min >= 0 && max >= 0 && max < min) {
      throw TraceSpecException.invalid(path, "max is below min");
    }
    return new DurationBounds(min, max);
  }

  private static CountRange count(String path, JsonNode node) {
    if (node.isIntegralNumber()) {
      if (!node.canConvertToInt()) {
        throw TraceSpecException.invalid(path, "count " + node.asText() + " is too large");
      }
      return CountRange.parse(path, Integer.toString(node.intValue()));
    }
    if (node.isTextual()) {
      return CountRange.parse(path, node.asText());
    }
    throw TraceSpecException.invalid(
        path, "count must be a whole number or a range like \"1..\", got " + kindOf(node));
  }

  private static Map<String, AttributePredicate> attributes(String path, JsonNode node) {
    return predicates(path, node, "attribute", SpecParser::predicate);
  }

  /** A map of {@code what} predicates, each read by {@code read} with its path. */
  private static Map<String, AttributePredicate> predicates(
      String path,
      JsonNode node,
      String what,
      java.util.function.BiFunction<String, JsonNode, AttributePredicate> read) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw TraceSpecException.invalid(path, "expected a map of " + what + " predicates");
    }
    Map<String, AttributePredicate> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), read.apply(path + "." + e.getKey(), e.getValue()));
    }
    return out;
  }

  private static AttributePredicate predicate(String path, JsonNode node) {
    if (node.isNull()) {
      throw TraceSpecException.invalid(path, "null is no value; write {absent: true}");
    }
    if (!node.isObject()) {
      return new AttributePredicate.Equals(value(path, node));
    }
    known(path, node, PREDICATE);
    Set<String> keys = new TreeSet<>(keys(node));
    if (keys.equals(Set.of("equals"))) {
      return new AttributePredicate.Equals(value(path + ".equals", node.get("equals")));
    }
    if (keys.equals(Set.of("regex")) || keys.equals(Set.of("glob"))) {
      String key = keys.iterator().next();
      return new AttributePredicate.Matches(
          TextPattern.parse(
              path + "." + key,
              key.equals("regex") ? TextPattern.Kind.REGEX : TextPattern.Kind.GLOB,
              text(path + "." + key, node.get(key))));
    }
    if (keys.equals(Set.of("exists")) || keys.equals(Set.of("absent"))) {
      String key = keys.iterator().next();
      JsonNode flag = node.get(key);
      if (!flag.isBoolean() || !flag.booleanValue()) {
        throw TraceSpecException.invalid(path + "." + key, "write " + key + ": true");
      }
      return key.equals("exists")
          ? new AttributePredicate.Exists()
          : new AttributePredicate.Absent();
    }
    if (!keys.isEmpty() && Set.of("min", "max").containsAll(keys)) {
      Double min = number(path + ".min", node.get("min"));
      Double max = number(path + ".max", node.get("max"));
      if (min != null && max != null && max < min) {
        throw TraceSpecException.invalid(path, "max is below min");
      }
      return new AttributePredicate.Range(min, max);
    }
    throw TraceSpecException.invalid(
        path,
        "a predicate is one of {equals: v}, {regex: r}, {glob: g}, {exists: true}, {absent: true},"
            + " or {min: a, max: b}; got keys "
            + keys);
  }

  private static Double number(String path, JsonNode node) {
    if (node == null) {
      return null;
    }
    if (!node.isNumber()) {
      throw TraceSpecException.invalid(path, "expected a number, got " + kindOf(node));
    }
    double v = node.doubleValue();
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw TraceSpecException.invalid(path, "expected a finite number");
    }
    return v;
  }

  /** A JSON value as an attribute value: Long, Double, String, Boolean, List, Map. */
  private static Object value(String path, JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw TraceSpecException.invalid(path, "integer out of the 64-bit range");
      }
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        out.add(value(path + "[" + i + "]", node.get(i)));
      }
      return out;
    }
    if (node.isObject()) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), value(path + "." + e.getKey(), e.getValue()));
      }
      return out;
    }
    throw TraceSpecException.invalid(path, "unsupported value " + kindOf(node));
  }

  private static boolean bool(String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw TraceSpecException.invalid(path, "expected true or false, got " + kindOf(node));
    }
    return node.booleanValue();
  }

  private static String text(String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return "";
    }
    if (node.isTextual() || node.isNumber() || node.isBoolean()) {
      return node.asText();
    }
    throw TraceSpecException.invalid(path, "expected text, got " + kindOf(node));
  }

  private static void known(String path, JsonNode node, Set<String> allowed) {
    for (String key : keys(node)) {
      if (!allowed.contains(key)) {
        throw TraceSpecException.invalid(
            path.isEmpty() ? key : path + "." + key,
            "unknown key \"" + key + "\", expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static String kindOf(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
