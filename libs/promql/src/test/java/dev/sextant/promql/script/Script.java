package dev.sextant.promql.script;

import dev.sextant.model.Labels;
import dev.sextant.promql.parser.Durations;
import dev.sextant.promql.storage.Series;
import dev.sextant.promql.value.GoFormat;
import dev.sextant.promql.value.StaleMarker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A PromQL test script, in the style of Prometheus's promqltest files:
 *
 * <pre>
 * load 30s
 *   http_requests_total{job="api"} 0+10x20     (start+increment x count: count+1 samples)
 *   gauge{job="api"} 1 _ 3 stale 5x3           (_ is a gap, stale a staleness marker, 5x3 = 5 5 5 5)
 *
 * eval instant at 5m sum by (job) (rate(http_requests_total[5m]))
 *   {job="api"} 0.3333333333
 *
 * eval range from 0 to 2m step 1m gauge
 *   gauge{job="api"} 1 3 _
 *
 * eval_ordered instant at 1m sort(gauge)     (result order must match)
 * eval_fail instant at 1m foo(               (must fail; an indented line gives a message part)
 * </pre>
 *
 * Times are durations or plain seconds. Every load adds to one dataset, starting at time 0.
 */
final class Script {
  /** What an eval expects. */
  enum Kind {
    INSTANT,
    RANGE
  }

  /** One expected series: labels and one value per step (null = no sample). */
  record Expected(Labels labels, List<Double> values) {}

  /** One eval command. */
  record Eval(
      int line,
      Kind kind,
      long startMs,
      long endMs,
      long stepMs,
      String query,
      boolean fail,
      String failMessage,
      boolean ordered,
      Double scalar,
      List<Expected> series) {}

  final String name;
  final List<Series> data = new ArrayList<>();
  final List<Eval> evals = new ArrayList<>();
  boolean hasStaleMarkers;
  private final Map<Labels, TreeMap<Long, Double>> samples = new LinkedHashMap<>();

  private Script(String name) {
    this.name = name;
  }

  static Script parse(String name, String text) {
    Script s = new Script(name);
    List<String> lines = text.lines().toList();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i).strip();
      int lineNo = i + 1;
      i++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> body = new ArrayList<>();
      while (i < lines.size()
          && !lines.get(i).isBlank()
          && Character.isWhitespace(lines.get(i).charAt(0))) {
        if (!lines.get(i).strip().startsWith("#")) {
          body.add(lines.get(i).strip());
        }
        i++;
      }
      try {
        if (line.startsWith("load ")) {
          s.load(time(line.substring(5).strip()), body);
        } else if (line.startsWith("eval")) {
          s.evals.add(eval(lineNo, line, body));
        } else {
          throw new IllegalArgumentException("unknown command");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(name + ":" + lineNo + ": " + e.getMessage(), e);
      }
    }
    s.samples.forEach(
        (labels, points) -> {
          long[] ts = points.keySet().stream().mapToLong(Long::longValue).toArray();
          double[] vs = points.values().stream().mapToDouble(Double::doubleValue).toArray();
          s.data.add(Series.of(labels, ts, vs));
        });
    return s;
  }

  private void load(long intervalMs, List<String> body) {
    for (String def : body) {
      int split = labelsEnd(def);
      Labels labels = labels(def.substring(0, split).strip());
      TreeMap<Long, Double> points = samples.computeIfAbsent(labels, l -> new TreeMap<>());
      int step = 0;
      for (String token : def.substring(split).strip().split("\\s+")) {
        for (Double v : expand(token)) {
          if (v != null) {
            points.put(step * intervalMs, v);
            if (StaleMarker.is(v)) {
              hasStaleMarkers = true;
            }
          }
          step++;
        }
      }
    }
  }

  /** {@code a+bxN} / {@code a-bxN} (N+1 values), {@code axN}, {@code _}, {@code _xN}, a value. */
  private static List<Double> expand(String token) {
    List<Double> out = new ArrayList<>();
    int x = token.lastIndexOf('x');
    if (x > 0 && !token.startsWith("0x") && token.substring(x + 1).matches("[0-9]+")) {
      int n = Integer.parseInt(token.substring(x + 1));
      String head = token.substring(0, x);
      if (head.equals("_")) {
        for (int k = 0; k < n; k++) {
          out.add(null);
        }
        return out;
      }
      int op = Math.max(head.lastIndexOf('+'), head.lastIndexOf('-'));
      if (op > 0 && head.charAt(op - 1) != 'e' && head.charAt(op - 1) != 'E') {
        double start = value(head.substring(0, op));
        double inc = value(head.substring(op + 1)) * (head.charAt(op) == '-' ? -1 : 1);
        for (int k = 0; k <= n; k++) {
          out.add(start + k * inc);
        }
      } else {
        double v = value(head);
        for (int k = 0; k <= n; k++) {
          out.add(v);
        }
      }
      return out;
    }
    if (token.equals("_")) {
      out.add(null);
    } else {
      out.add(value(token));
    }
    return out;
  }

  static double value(String s) {
    if (s.equals("stale")) {
      return StaleMarker.VALUE;
    }
    Double v = GoFormat.parseFloat(s);
    if (v == null) {
      throw new IllegalArgumentException("not a number: " + s);
    }
    return v;
  }

  private static Eval eval(int line, String command, List<String> body) {
    boolean fail = command.startsWith("eval_fail ");
    boolean ordered = command.startsWith("eval_ordered ");
    String rest = command.substring(command.indexOf(' ') + 1).strip();
    Kind kind;
    long start;
    long end;
    long step = 0;
    String query;
    if (rest.startsWith("instant at ")) {
      kind = Kind.INSTANT;
      rest = rest.substring("instant at ".length());
      int sp = rest.indexOf(' ');
      start = time(sp < 0 ? rest : rest.substring(0, sp));
      end = start;
      query = sp < 0 ? "" : rest.substring(sp + 1).strip();
    } else if (rest.startsWith("range from ")) {
      kind = Kind.RANGE;
      String[] parts = rest.substring("range from ".length()).split("\\s+", 6);
      // <start> to <end> step <step> <query>
      start = time(parts[0]);
      end = time(parts[2]);
      step = time(parts[4]);
      query = parts[5];
    } else {
      throw new IllegalArgumentException("expected 'instant at' or 'range from'");
    }
    String message = null;
    Double scalar = null;
    List<Expected> series = new ArrayList<>();
    for (String b : body) {
      if (fail) {
        message = b;
        continue;
      }
      if (GoFormat.parseFloat(b) != null) {
        scalar = value(b);
        continue;
      }
      int split = labelsEnd(b);
      List<Double> values = new ArrayList<>();
      for (String token : b.substring(split).strip().split("\\s+")) {
        values.addAll(expand(token));
      }
      series.add(new Expected(labels(b.substring(0, split).strip()), values));
    }
    return new Eval(line, kind, start, end, step, query, fail, message, ordered, scalar, series);
  }

  static long time(String s) {
    if (s.matches("-?[0-9]+")) {
      return Long.parseLong(s) * 1000;
    }
    return Durations.parseMillis(s);
  }

  /** The index just after a series' label part: {@code name}, {@code {..}} or {@code name{..}}. */
  private static int labelsEnd(String def) {
    int brace = def.indexOf('{');
    int space = def.indexOf(' ');
    if (brace < 0 || (space >= 0 && space < brace)) {
      return space < 0 ? def.length() : space;
    }
    boolean quoted = false;
    for (int i = brace; i < def.length(); i++) {
      char c = def.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '}' && !quoted) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("unclosed braces: " + def);
  }

  /** {@code name{a="b", c="d"}} as labels including {@code __name__}. */
  static Labels labels(String text) {
    TreeMap<String, String> m = new TreeMap<>();
    int brace = text.indexOf('{');
    String name = brace < 0 ? text : text.substring(0, brace);
    if (!name.isEmpty()) {
      m.put("__name__", name);
    }
    if (brace >= 0) {
      String inner = text.substring(brace + 1, text.length() - 1);
      int i = 0;
      while (i < inner.length()) {
        while (i < inner.length() && (inner.charAt(i) == ',' || inner.charAt(i) == ' ')) {
          i++;
        }
        if (i >= inner.length()) {
          break;
        }
        int eq = inner.indexOf('=', i);
        String key = inner.substring(i, eq).strip();
        int q = inner.indexOf('"', eq) + 1;
        StringBuilder v = new StringBuilder();
        while (inner.charAt(q) != '"') {
          if (inner.charAt(q) == '\\') {
            q++;
          }
          v.append(inner.charAt(q));
          q++;
        }
        m.put(key, v.toString());
        i = q + 1;
      }
    }
    return Labels.of(m);
  }
}
