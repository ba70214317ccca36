package dev.sextant.query.prom.names;

import dev.sextant.model.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenTelemetry metric names as Prometheus 3's OTLP receiver names them by default
 * (UnderscoreEscapingWithSuffixes): the name split into tokens of {@code [a-zA-Z0-9:]}, the unit
 * appended as a word ({@code s} → {@code seconds}, {@code By/s} → {@code bytes_per_second};
 * annotations in braces dropped), {@code total} moved to the end of monotonic counters, {@code
 * ratio} to the end of gauges of unit {@code 1}, tokens joined by {@code _}, and a {@code _} in
 * front of a name that would start with a digit.
 *
 * <p>Series of type UNKNOWN arrived through remote write with Prometheus names already and keep
 * their stored name.
 */
public final class MetricNames {
  private static final Map<String, String> UNITS =
      Map.ofEntries(
          Map.entry("d", "days"),
          Map.entry("h", "hours"),
          Map.entry("min", "minutes"),
          Map.entry("s", "seconds"),
          Map.entry("ms", "milliseconds"),
          Map.entry("us", "microseconds"),
          Map.entry("ns", "nanoseconds"),
          Map.entry("By", "bytes"),
          Map.entry("KiBy", "kibibytes"),
          Map.entry("MiBy", "mebibytes"),
          Map.entry("GiBy", "gibibytes"),
          Map.entry("TiBy", "tibibytes"),
          Map.entry("KBy", "kilobytes"),
          Map.entry("MBy", "megabytes"),
          Map.entry("GBy", "gigabytes"),
          Map.entry("TBy", "terabytes"),
          Map.entry("m", "meters"),
          Map.entry("V", "volts"),
          Map.entry("A", "amperes"),
          Map.entry("J", "joules"),
          Map.entry("W", "watts"),
          Map.entry("g", "grams"),
          Map.entry("Cel", "celsius"),
          Map.entry("Hz", "hertz"),
          Map.entry("1", ""),
          Map.entry("%", "percent"));

  /** The denominator of a unit such as {@code By/s} reads in the singular: per second. */
  private static final Map<String, String> PER_UNITS =
      Map.of(
          "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y",
          "year");

  private MetricNames() {}

  /**
   * The Prometheus name of a metric family: what a counter or gauge is called, and the base of a
   * histogram's {@code _bucket}/{@code _sum}/{@code _count} and a summary's series.
   */
  public static String family(String name, MetricType type, String unit) {
    String normalized =
        switch (type) {
          case UNKNOWN -> name;
          case COUNTER, UP_DOWN_COUNTER, GAUGE, HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY ->
              normalize(name, type, unit);
        };
    // Prometheus drops a metric whose name normalises to nothing; we keep it under its own name
    // (reachable with a quoted selector) rather than hide stored data.
    return normalized.isEmpty() || normalized.chars().allMatch(c -> c == '_') ? name : normalized;
  }

  private static String normalize(String name, MetricType type, String unit) {
    List<String> tokens = tokens(name);
    String[] suffixes = unitSuffixes(unit);
    String main = clean(suffixes[0]);
    String per = clean(suffixes[1]);
    if (tokens.contains(main)) {
      main = "";
    }
    if (per.equals("per_")) {
      per = "";
    } else {
      per = stripTrailingUnderscore(per);
      if (tokens.contains(per)) {
        per = "";
      }
    }
    if (!per.isEmpty()) {
      main = stripTrailingUnderscore(main);
    }
    if (!main.isEmpty()) {
      tokens.add(main);
    }
    if (!per.isEmpty()) {
      tokens.add(per);
    }
    if (type == MetricType.COUNTER) {
      tokens.removeIf("total"::equals);
      tokens.add("total");
    }
    if (type == MetricType.GAUGE && unit.equals("1")) {
      tokens.removeIf("ratio"::equals);
      tokens.add("ratio");
    }
    String joined = String.join("_", tokens);
    return !joined.isEmpty() && Character.isDigit(joined.charAt(0)) ? "_" + joined : joined;
  }

  /** Runs of {@code [a-zA-Z0-9:]}; everything else separates. */
  static List<String> tokens(String name) {
    List<String> tokens = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < name.length(); i++) {
      if (isNameChar(name.charAt(i))) {
        if (start < 0) {
          start = i;
        }
      } else if (start >= 0) {
        tokens.add(name.substring(start, i));
        start = -1;
      }
    }
    if (start >= 0) {
      tokens.add(name.substring(start));
    }
    return tokens;
  }

  /**
   * Whether a stored metric may be exposed as {@code promName}: cheap and never wrong in the
   * negative direction, so a selector on a Prometheus name can narrow the stored names before any
   * series is read. Either the names are equal (untranslated series) or, with {@code total} and
   * {@code ratio} left out on both sides, the stored name's tokens start the Prometheus name's
   * tokens (suffixes only ever follow them).
   */
  public static boolean mayExposeAs(String storedName, String promName) {
    if (storedName.equals(promName)) {
      return true;
    }
    List<String> stored = tokens(storedName);
    List<String> prom = tokens(promName);
    stored.removeIf(MetricNames::movable);
    prom.removeIf(MetricNames::movable);
    return prom.size() >= stored.size() && prom.subList(0, stored.size()).equals(stored);
  }

  private static boolean movable(String token) {
    return token.equals("total") || token.equals("ratio");
  }

  /** The Prometheus word for a unit ({@code By/s} → {@code bytes_per_second}), for metadata. */
  public static String unit(String unit) {
    String[] suffixes = unitSuffixes(unit);
    String main = clean(suffixes[0]);
    String per = clean(suffixes[1]);
    String joined = main.isEmpty() || per.isEmpty() ? main + per : main + "_" + per;
    if (joined.startsWith("_")) {
      joined = joined.substring(1);
    }
    return stripTrailingUnderscore(joined);
  }

  /** The main and the "per" unit words, before cleaning; empty when absent or annotated. */
  private static String[] unitSuffixes(String unit) {
    String main = "";
    String per = "";
    int slash = unit.indexOf('/');
    String mainOtel = (slash < 0 ? unit : unit.substring(0, slash)).strip();
    if (!mainOtel.isEmpty() && !containsBrace(mainOtel)) {
      main = UNITS.getOrDefault(mainOtel, mainOtel);
    }
    if (slash >= 0 && slash + 1 < unit.length()) {
      String perOtel = unit.substring(slash + 1).strip();
      if (!perOtel.isEmpty() && !containsBrace(perOtel)) {
        per = PER_UNITS.getOrDefault(perOtel, perOtel);
      }
      if (!per.isEmpty()) {
        per = "per_" + per;
      }
    }
    return new String[] {main, per};
  }

  private static boolean containsBrace(String s) {
    return s.indexOf('{') >= 0 || s.indexOf('}') >= 0;
  }

  /** Invalid characters to {@code _}, runs of {@code _} to one, no leading {@code _}. */
  private static String clean(String unit) {
    StringBuilder out = new StringBuilder(unit.length());
    for (int i = 0; i < unit.length(); i++) {
      char c = isNameChar(unit.charAt(i)) ? unit.charAt(i) : '_';
      if (c == '_' && !out.isEmpty() && out.charAt(out.length() - 1) == '_') {
        continue;
      }
      out.append(c);
    }
    return out.length() > 0 && out.charAt(0) == '_' ? out.substring(1) : out.toString();
  }

  private static String stripTrailingUnderscore(String s) {
    return s.endsWith("_") ? s.substring(0, s.length() - 1) : s;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':';
  }
}
