package dev.sextant.query.rest.json;

import dev.sextant.tracespec.MatchResult;
import dev.sextant.tracespec.Problem;
import dev.sextant.tracespec.TraceDiff;
import java.util.List;

/** The answers of the TraceSpec endpoints. */
public final class TraceSpecJson {
  private TraceSpecJson() {}

  /** {@code POST /api/v1/traces/{traceId}/check}: the verdict, why, and the side-by-side report. */
  public record Check(
      String traceId,
      boolean matched,
      String summary,
      int spanCount,
      List<ProblemJson> problems,
      String report) {
    public static Check of(String traceId, MatchResult r) {
      return new Check(
          traceId,
          r.matched(),
          r.summary(),
          r.spanCount(),
          r.problems().stream().map(ProblemJson::of).toList(),
          r.report());
    }
  }

  /** One problem: {@code MISSING}, {@code EXTRA} or {@code ORDER}, where, and what. */
  public record ProblemJson(String kind, String path, String message) {
    static ProblemJson of(Problem p) {
      return new ProblemJson(p.kind().name(), p.path(), p.message());
    }
  }

  /** {@code GET /api/v1/traces/diff}. */
  public record Diff(
      String a, String b, boolean identical, String summary, List<Entry> entries, String report) {
    public static Diff of(String a, String b, TraceDiff d) {
      return new Diff(
          a,
          b,
          d.identical(),
          d.summary(),
          d.entries().stream()
              .map(e -> new Entry(e.change().name(), e.path(), e.detail()))
              .toList(),
          d.report());
    }
  }

  /** One difference of a diff. */
  public record Entry(String change, String path, String detail) {}
}
