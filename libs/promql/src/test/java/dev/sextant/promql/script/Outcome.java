package dev.sextant.promql.script;

import dev.sextant.model.Labels;
import dev.sextant.promql.conformance.ResultComparison;
import dev.sextant.promql.value.GoFormat;
import dev.sextant.promql.value.LabelSets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A query's outcome as a script compares it: an error, a scalar, or series of step values. */
record Outcome(String error, Double scalar, List<Script.Expected> series) {

  static Outcome failed(String error) {
    return new Outcome(error, null, List.of());
  }

  /** Null when the outcome meets the expectation, else what differs. */
  String check(Script.Eval e) {
    if (e.fail()) {
      if (error == null) {
        return "expected an error, got a result";
      }
      if (e.failMessage() != null && !error.contains(e.failMessage())) {
        return "expected an error containing \"" + e.failMessage() + "\", got: " + error;
      }
      return null;
    }
    if (error != null) {
      return "unexpected error: " + error;
    }
    if (e.scalar() != null) {
      if (scalar == null) {
        return "expected scalar " + e.scalar() + ", got " + describe();
      }
      return ResultComparison.close(e.scalar(), scalar)
          ? null
          : "expected scalar "
              + GoFormat.formatFloat(e.scalar())
              + ", got "
              + GoFormat.formatFloat(scalar);
    }
    if (scalar != null) {
      return "expected a vector, got scalar " + GoFormat.formatFloat(scalar);
    }
    Map<Labels, Integer> position = new HashMap<>();
    for (int i = 0; i < series.size(); i++) {
      position.put(series.get(i).labels(), i);
    }
    if (series.size() != e.series().size()) {
      return "expected " + e.series().size() + " series, got " + describe();
    }
    for (int i = 0; i < e.series().size(); i++) {
      Script.Expected want = e.series().get(i);
      Integer at = position.get(want.labels());
      if (at == null) {
        return "missing " + LabelSets.format(want.labels()) + "; got " + describe();
      }
      if (e.ordered() && at != i) {
        return "expected "
            + LabelSets.format(want.labels())
            + " at position "
            + i
            + ", got "
            + describe();
      }
      List<Double> got = series.get(at).values();
      if (!sameValues(want.values(), got)) {
        return LabelSets.format(want.labels())
            + ": expected "
            + text(want.values())
            + ", got "
            + text(got);
      }
    }
    return null;
  }

  private static boolean sameValues(List<Double> want, List<Double> got) {
    if (want.size() != got.size()) {
      return false;
    }
    for (int i = 0; i < want.size(); i++) {
      Double w = want.get(i);
      Double g = got.get(i);
      if (w == null || g == null) {
        if (w != g) {
          return false;
        }
      } else if (!ResultComparison.close(w, g)) {
        return false;
      }
    }
    return true;
  }

  private String describe() {
    if (scalar != null) {
      return "scalar " + GoFormat.formatFloat(scalar);
    }
    List<String> parts = new ArrayList<>();
    for (Script.Expected s : series) {
      parts.add(LabelSets.format(s.labels()) + " " + text(s.values()));
    }
    return parts.isEmpty() ? "no series" : String.join("; ", parts);
  }

  static String text(List<Double> values) {
    List<String> out = new ArrayList<>();
    for (Double v : values) {
      out.add(v == null ? "_" : GoFormat.formatFloat(v));
    }
    return String.join(" ", out);
  }
}
