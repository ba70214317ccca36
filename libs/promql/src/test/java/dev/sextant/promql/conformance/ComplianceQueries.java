package dev.sextant.promql.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compliance tester's query templates, expanded over every combination of their variant values
 * (the values are the tester's, listed in the templates file's header).
 */
public final class ComplianceQueries {
  /** One query to compare, and whether both systems must refuse it. */
  public record Query(String text, boolean shouldFail) {}

  private static final Map<String, List<String>> VARIANTS = new LinkedHashMap<>();

  static {
    VARIANTS.put("range", List.of("1s", "15s", "1m", "5m", "15m", "1h"));
    VARIANTS.put("offset", List.of("1m", "5m", "10m"));
    VARIANTS.put("simpleAggrOp", List.of("sum", "avg", "max", "min", "count", "stddev", "stdvar"));
    VARIANTS.put(
        "simpleTimeAggrOp",
        List.of("sum", "avg", "max", "min", "count", "stddev", "stdvar", "absent", "last"));
    VARIANTS.put("topBottomOp", List.of("topk", "bottomk"));
    VARIANTS.put(
        "quantile", List.of("-0.5", "0.1", "0.5", "0.75", "0.95", "0.90", "0.99", "1", "1.5"));
    VARIANTS.put("arithBinOp", List.of("+", "-", "*", "/", "%", "^"));
    VARIANTS.put("compBinOp", List.of("==", "!=", "<", ">", "<=", ">="));
    VARIANTS.put("binOp", List.of("+", "-", "*", "/", "%", "^", "==", "!=", "<", ">", "<=", ">="));
    VARIANTS.put(
        "simpleMathFunc",
        List.of("abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "round"));
    VARIANTS.put("extrapolatedRateFunc", List.of("delta", "rate", "increase"));
    VARIANTS.put("clampFunc", List.of("clamp_min", "clamp_max"));
    VARIANTS.put("instantRateFunc", List.of("idelta", "irate"));
    VARIANTS.put(
        "dateFunc",
        List.of("day_of_month", "day_of_week", "days_in_month", "hour", "minute", "month", "year"));
    VARIANTS.put("smoothingFactor", List.of("0.1", "0.5", "0.8"));
    VARIANTS.put("trendFactor", List.of("0.1", "0.5", "0.8"));
  }

  private ComplianceQueries() {}

  public static List<Query> templates() throws IOException {
    List<Query> out = new ArrayList<>();
    for (String line : resourceLines("/conformance/compliance_templates.tsv")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t", -1);
      String template = cols[0];
      List<String> vars =
          cols.length > 1 && !cols[1].isBlank() ? List.of(cols[1].split(",")) : List.of();
      boolean shouldFail = cols.length > 2 && cols[2].contains("should_fail");
      expand(template, vars, 0, shouldFail, out);
    }
    return out;
  }

  private static void expand(
      String template, List<String> vars, int index, boolean shouldFail, List<Query> out) {
    if (index == vars.size()) {
      out.add(new Query(template, shouldFail));
      return;
    }
    String var = vars.get(index).trim();
    List<String> values = VARIANTS.get(var);
    if (values == null) {
      throw new IllegalStateException("unknown variant " + var);
    }
    for (String v : values) {
      expand(template.replace("{{." + var + "}}", v), vars, index + 1, shouldFail, out);
    }
  }

  /** Our own queries: one per line, {@code !} in front of those that must fail. */
  public static List<Query> extras() throws IOException {
    List<Query> out = new ArrayList<>();
    for (String line : resourceLines("/conformance/extra_queries.txt")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      boolean fail = line.startsWith("!");
      out.add(new Query(fail ? line.substring(1).trim() : line.trim(), fail));
    }
    return out;
  }

  public static List<String> resourceLines(String name) throws IOException {
    try (InputStream in = ComplianceQueries.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
