package dev.sextant.promql.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Labels;
import dev.sextant.promql.conformance.MiniJson;
import dev.sextant.promql.conformance.OpenMetrics;
import dev.sextant.promql.conformance.RealPrometheus;
import dev.sextant.promql.conformance.ResultComparison;
import dev.sextant.promql.value.GoFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks the script corpus's expectations against a real Prometheus 2.42 loaded with each script's
 * data, so the expected values are Prometheus's and not only ours. Scripts with staleness markers
 * cannot be imported into Prometheus (OpenMetrics has no way to write one); they are named in the
 * output, not skipped silently.
 *
 * <p>With {@code -Dsextant.record=true} it writes each script with the expectations Prometheus
 * gives into target/recorded/, for review before copying over the source.
 */
class ScriptCorpusPrometheusTest {

  @Test
  void expectationsAreWhatPrometheusAnswers() throws Exception {
    boolean record = Boolean.getBoolean("sextant.record");
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (String file : Scripts.FILES) {
      Script script = Scripts.load(file);
      if (script.hasStaleMarkers) {
        System.out.println(
            "script "
                + file
                + ": not compared with Prometheus (staleness markers cannot be"
                + " imported); its expectations follow Prometheus's documented staleness rules");
        continue;
      }
      Map<Integer, Outcome> recorded = new LinkedHashMap<>();
      try (RealPrometheus prometheus =
          RealPrometheus.start(
              OpenMetrics.text(script.data), Path.of("target", "prometheus-scripts", file))) {
        for (Script.Eval e : script.evals) {
          Outcome o = ask(prometheus, e);
          recorded.put(e.line(), o);
          String problem = o.check(e);
          checked++;
          if (problem != null) {
            problems.add(file + ":" + e.line() + " " + e.query() + "\n    " + problem);
          }
        }
      }
      if (record) {
        write(file, recorded);
      }
    }
    System.out.println(
        "script corpus against Prometheus 2.42: "
            + (checked - problems.size())
            + " passed, "
            + problems.size()
            + " failed");
    problems.forEach(p -> System.out.println("  " + p));
    assertThat(problems).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static Outcome ask(RealPrometheus prometheus, Script.Eval e) throws Exception {
    String json =
        switch (e.kind()) {
          case INSTANT -> prometheus.query(e.query(), e.startMs());
          case RANGE -> prometheus.queryRange(e.query(), e.startMs(), e.endMs(), e.stepMs());
        };
    Map<String, Object> answer = (Map<String, Object>) MiniJson.parse(json);
    if ("error".equals(answer.get("status"))) {
      return Outcome.failed((String) answer.get("error"));
    }
    Map<String, Object> data = (Map<String, Object>) answer.get("data");
    String type = (String) data.get("resultType");
    List<Script.Expected> series = new ArrayList<>();
    switch (type) {
      case "scalar" -> {
        return new Outcome(
            null,
            GoFormat.parseFloat((String) ((List<Object>) data.get("result")).get(1)),
            List.of());
      }
      case "string" -> {
        return new Outcome(null, null, List.of());
      }
      case "vector" -> {
        for (Object o : (List<Object>) data.get("result")) {
          Map<String, Object> s = (Map<String, Object>) o;
          List<Object> value = (List<Object>) s.get("value");
          series.add(
              new Script.Expected(
                  ResultComparison.labels(s), List.of(GoFormat.parseFloat((String) value.get(1)))));
        }
      }
      default -> {
        for (Object o : (List<Object>) data.get("result")) {
          Map<String, Object> s = (Map<String, Object>) o;
          ResultComparison.Points p = ResultComparison.points((List<Object>) s.get("values"));
          List<Double> aligned = new ArrayList<>();
          if (e.kind() == Script.Kind.RANGE) {
            aligned.addAll(
                ScriptRunner.aligned(p.ts(), p.vs(), e.startMs(), e.endMs(), e.stepMs()));
          } else {
            for (double v : p.vs()) {
              aligned.add(v);
            }
          }
          series.add(new Script.Expected(ResultComparison.labels(s), aligned));
        }
      }
    }
    return new Outcome(null, null, series);
  }

  /** The script with each eval's expectations replaced by Prometheus's answer. */
  private static void write(String file, Map<Integer, Outcome> recorded) throws Exception {
    List<String> lines = Scripts.lines(file);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      out.append(line).append('\n');
      i++;
      Outcome o = recorded.get(i);
      if (o == null || line.strip().startsWith("eval_fail")) {
        continue;
      }
      while (i < lines.size()
          && !lines.get(i).isBlank()
          && Character.isWhitespace(lines.get(i).charAt(0))) {
        i++;
      }
      if (o.error() != null) {
        out.append("  # Prometheus: ").append(o.error()).append('\n');
      } else if (o.scalar() != null) {
        out.append("  ").append(GoFormat.formatFloat(o.scalar())).append('\n');
      } else {
        for (Script.Expected s : o.series()) {
          out.append("  ").append(seriesText(s.labels())).append(' ');
          out.append(Outcome.text(s.values())).append('\n');
        }
      }
    }
    Path target = Path.of("target", "recorded", file);
    Files.createDirectories(target.getParent());
    Files.writeString(target, out.toString());
  }

  private static String seriesText(Labels labels) {
    StringBuilder s = new StringBuilder(labels.get("__name__")).append('{');
    boolean first = true;
    for (Map.Entry<String, String> l : labels.asMap().entrySet()) {
      if (l.getKey().equals("__name__")) {
        continue;
      }
      s.append(first ? "" : ", ").append(l.getKey()).append("=\"");
      s.append(l.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      first = false;
    }
    return s.append('}').toString();
  }
}
