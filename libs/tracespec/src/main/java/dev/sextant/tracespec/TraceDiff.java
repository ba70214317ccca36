package dev.sextant.tracespec;

import dev.sextant.model.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A structural comparison of two traces. Siblings are paired by name, the n-th span of a name in
 * {@code a} with the n-th of that name in {@code b} (start order). Paired spans are compared on
 * kind, status and attributes (volatile keys, as {@link RecordOptions#DEFAULT_VOLATILE}, are
 * skipped: they always differ); their durations are reported, and a change of at least {@link
 * #TIMING_THRESHOLD} (and 1ms) is an entry too. {@code identical} ignores timing.
 */
public record TraceDiff(boolean identical, String summary, List<Entry> entries, String report) {
  /** Relative duration change that makes a timing entry. */
  public static final double TIMING_THRESHOLD = 0.10;

  private static final long MIN_TIMING_NANOS = 1_000_000;

  public TraceDiff {
    entries = List.copyOf(entries);
  }

  /** What differs at one place. */
  public enum Change {
    ONLY_IN_A,
    ONLY_IN_B,
    KIND,
    STATUS,
    ATTRIBUTE,
    DURATION
  }

  /** One difference; {@code path} is the span names from the top, joined by {@code " > "}. */
  public record Entry(Change change, String path, String detail) {}

  public static TraceDiff of(List<Span> a, List<Span> b) {
    Builder builder = new Builder();
    builder.siblings(TraceNode.forest(a), TraceNode.forest(b), "", 0);
    long structural = builder.entries.stream().filter(e -> e.change() != Change.DURATION).count();
    long timing = builder.entries.size() - structural;
    String summary =
        structural == 0
            ? "same shape ("
                + a.size()
                + " spans)"
                + (timing == 0 ? "" : ", " + timing + " timing differences")
            : structural
                + " structural differences, "
                + timing
                + " timing differences ("
                + a.size()
                + " spans in a, "
                + b.size()
                + " in b)";
    return new TraceDiff(
        structural == 0, summary, builder.entries, summary + "\n" + builder.report);
  }

  private static final class Builder {
    final List<Entry> entries = new ArrayList<>();
    final StringBuilder report = new StringBuilder();
    final VolatileKeys volatileKeys = new VolatileKeys(RecordOptions.DEFAULT_VOLATILE);

    void siblings(List<TraceNode> as, List<TraceNode> bs, String path, int depth) {
      Map<String, List<TraceNode>> byNameB = new LinkedHashMap<>();
      for (TraceNode b : bs) {
        byNameB.computeIfAbsent(b.span().name(), k -> new ArrayList<>()).add(b);
      }
      Map<String, Integer> used = new LinkedHashMap<>();
      Set<TraceNode> pairedB = new LinkedHashSet<>();
      for (TraceNode a : as) {
        String name = a.span().name();
        int n = used.merge(name, 1, Integer::sum) - 1;
        List<TraceNode> candidates = byNameB.getOrDefault(name, List.of());
        if (n < candidates.size()) {
          TraceNode b = candidates.get(n);
          pairedB.add(b);
          pair(a, b, path, depth);
        } else {
          only(Change.ONLY_IN_A, a, path, depth);
        }
      }
      for (TraceNode b : bs) {
        if (!pairedB.contains(b)) {
          only(Change.ONLY_IN_B, b, path, depth);
        }
      }
    }

    private void pair(TraceNode a, TraceNode b, String path, int depth) {
      Span x = a.span();
      Span y = b.span();
      String here = path.isEmpty() ? x.name() : path + " > " + x.name();
      long da = x.durationNanos();
      long db = y.durationNanos();
      String timing = Durations.human(da) + " -> " + Durations.human(db) + percent(da, db);
      line(depth, "=", x.name() + " (" + timing + ")");
      if (Math.abs(db - da) >= MIN_TIMING_NANOS
          && Math.abs(db - da) >= TIMING_THRESHOLD * Math.max(1, da)) {
        entries.add(new Entry(Change.DURATION, here, timing));
      }
      if (x.kind() != y.kind()) {
        change(Change.KIND, here, "kind " + x.kind() + " -> " + y.kind(), depth);
      }
      if (x.statusCode() != y.statusCode()) {
        change(Change.STATUS, here, "status " + x.statusCode() + " -> " + y.statusCode(), depth);
      }
      Set<String> keys = new LinkedHashSet<>(x.attributes().keySet());
      keys.addAll(y.attributes().keySet());
      for (String key : keys) {
        if (volatileKeys.contains(key)) {
          continue;
        }
        Object va = x.attributes().get(key);
        Object vb = y.attributes().get(key);
        boolean same =
            va == null ? vb == null : vb != null && AttributePredicate.Values.same(va, vb);
        if (!same) {
          change(
              Change.ATTRIBUTE,
              here,
              "attribute "
                  + key
                  + ": "
                  + AttributePredicate.Values.show(va)
                  + " -> "
                  + AttributePredicate.Values.show(vb),
              depth);
        }
      }
      siblings(a.children(), b.children(), here, depth + 1);
    }

    private void only(Change change, TraceNode node, String path, int depth) {
      String below = node.size() > 1 ? " (+" + (node.size() - 1) + " below)" : "";
      String where = change == Change.ONLY_IN_A ? "only in a" : "only in b";
      entries.add(new Entry(change, path, Diagnosis.label(node.span()) + below));
      line(
          depth,
          change == Change.ONLY_IN_A ? "-" : "+",
          Diagnosis.label(node.span()) + below + "   <- " + where);
    }

    private void change(Change change, String path, String detail, int depth) {
      entries.add(new Entry(change, path, detail));
      line(depth + 1, "~", detail);
    }

    private void line(int depth, String mark, String text) {
      report.append(mark).append(' ').append("  ".repeat(depth)).append(text).append('\n');
    }

    private static String percent(long a, long b) {
      if (a == 0) {
        return "";
      }
      long pct = Math.round((b - a) * 100.0 / a);
      return ", " + (pct >= 0 ? "+" : "") + pct + "%";
    }
  }
}
