package dev.sextant.storage.testkit;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.Temporality;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixed times, ids and attribute maps for the conformance suites: no clock, no randomness. */
public final class Fixtures {

  /** 2026-01-01T00:00:00Z in Unix nanoseconds; every fixture time is an offset from it. */
  public static final long T0 = 1_767_225_600_000_000_000L;

  public static final String TENANT = "acme";
  public static final String OTHER_TENANT = "globex";

  private Fixtures() {}

  public static long millis(long millis) {
    return millis * 1_000_000L;
  }

  public static long seconds(long seconds) {
    return seconds * 1_000_000_000L;
  }

  /** A 32 hex character trace id derived from {@code n}. */
  public static String traceId(long n) {
    return String.format("%032x", n);
  }

  /** A 16 hex character span id derived from {@code n}. */
  public static String spanId(long n) {
    return String.format("%016x", n);
  }

  /**
   * Attributes with every allowed value type, including the ones a careless encoding loses:
   * integral doubles, extreme longs, non-finite and negative-zero doubles, strings that look like
   * numbers or booleans, characters that need escaping, nested lists and maps, and map keys that
   * look like encoding markers.
   */
  public static Map<String, Object> everyValueType() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("model", "gpt-4o");
    nested.put("temperature", 0.7);
    nested.put("max_tokens", 1024L);
    nested.put("stream", false);
    nested.put("stop", List.of("\n", "END"));
    nested.put("$double", "not a double marker");
    nested.put("$$escaped", "two dollars");
    nested.put("inner", Map.of("deep", List.of(Map.of("x", 1L))));

    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("string", "value");
    attributes.put("empty.string", "");
    attributes.put("escapes", "quote \" backslash \\ newline \n tab \t nul \u0000 é 漢字 🚀");
    attributes.put("string.looks.like.number", "42");
    attributes.put("string.looks.like.boolean", "true");
    attributes.put("string.NaN", "NaN");
    attributes.put("bool.true", true);
    attributes.put("bool.false", false);
    attributes.put("long", 42L);
    attributes.put("long.zero", 0L);
    attributes.put("long.negative", -7L);
    attributes.put("long.max", Long.MAX_VALUE);
    attributes.put("long.min", Long.MIN_VALUE);
    attributes.put("double", 3.14159);
    attributes.put("double.integral", 3.0);
    attributes.put("double.tiny", 4.9e-324);
    attributes.put("double.huge", 1.7976931348623157e308);
    attributes.put("double.exponent", 1.0e20);
    attributes.put("double.negative.zero", -0.0);
    attributes.put("double.nan", Double.NaN);
    attributes.put("double.infinity", Double.POSITIVE_INFINITY);
    attributes.put("double.negative.infinity", Double.NEGATIVE_INFINITY);
    attributes.put("list.strings", List.of("a", "b", "c"));
    attributes.put("list.mixed", List.of("a", 1L, 2.5, true, Double.NaN));
    attributes.put("list.empty", List.of());
    attributes.put("list.nested", List.of(List.of(1L, 2L), List.of(), Map.of("k", "v")));
    attributes.put("map", nested);
    attributes.put("map.empty", Map.of());
    attributes.put("$double", "a top-level key that looks like a marker");
    attributes.put("key with \"quotes\" and .dots", "odd key");
    return attributes;
  }

  /** A series of {@link #TENANT} with the given labels. */
  public static MetricSeries series(String name, MetricType type, String... labels) {
    return series(TENANT, name, type, labels);
  }

  public static MetricSeries series(
      String tenant, String name, MetricType type, String... namesAndValues) {
    Temporality temporality =
        switch (type) {
          case COUNTER, UP_DOWN_COUNTER, HISTOGRAM, EXPONENTIAL_HISTOGRAM -> Temporality.CUMULATIVE;
          case GAUGE, SUMMARY, UNKNOWN -> Temporality.NONE;
        };
    return new MetricSeries(
        tenant, name, Labels.of(namesAndValues), type, temporality, "1", "a test metric");
  }
}
