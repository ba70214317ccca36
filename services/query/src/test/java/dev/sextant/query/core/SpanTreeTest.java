package dev.sextant.query.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanTreeTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  /** A span id spelling a short name in hex, so names keep their order and read back. */
  private static String id(String name) {
    return name.isEmpty() ? "" : String.format("%016x", new BigInteger(1, name.getBytes(UTF_8)));
  }

  private static String name(String spanId) {
    return new String(new BigInteger(spanId, 16).toByteArray(), UTF_8);
  }

  private static Span span(String name, String parent, long start) {
    return new Span(
        "t",
        TRACE,
        id(name),
        id(parent),
        "op-" + name,
        SpanKind.INTERNAL,
        start,
        start + 10,
        StatusCode.UNSET,
        null,
        "svc",
        null,
        null,
        Map.of(),
        Map.of(),
        List.of(),
        List.of(),
        0);
  }

  private static String render(List<SpanNode> forest) {
    StringBuilder out = new StringBuilder();
    for (SpanNode node : forest) {
      render(node, out);
    }
    return out.toString();
  }

  private static void render(SpanNode node, StringBuilder out) {
    out.append(name(node.span().spanId()));
    if (!node.children().isEmpty()) {
      out.append('(');
      node.children().forEach(c -> render(c, out));
      out.append(')');
    }
    out.append(' ');
  }

  @Test
  void rootsAndOrphansAtTheTopChildrenByStartTime() {
    List<SpanNode> forest =
        SpanTree.build(
            List.of(
                span("a", "r", 30),
                span("b", "r", 20),
                span("c", "a", 40),
                span("r", "", 10),
                span("o", "missing", 15)),
            100);
    assertThat(render(forest)).isEqualTo("r(b a(c ) ) o ");
    assertThat(SpanTree.flatten(forest))
        .extracting(span -> name(span.spanId()))
        .containsExactly("r", "b", "a", "c", "o");
  }

  @Test
  void siblingsStartingTogetherAreOrderedBySpanId() {
    List<SpanNode> forest =
        SpanTree.build(List.of(span("r", "", 1), span("y", "r", 5), span("x", "r", 5)), 100);
    assertThat(render(forest)).isEqualTo("r(x y ) ");
  }

  @Test
  void parentCyclesAndSelfParentsAreCutLooseNotLost() {
    List<SpanNode> forest =
        SpanTree.build(
            List.of(span("p", "q", 1), span("q", "p", 2), span("s", "s", 3), span("k", "q", 4)),
            100);
    assertThat(render(forest)).isEqualTo("p(q(k ) ) s ");
  }

  @Test
  void aVeryDeepChainIsCutAtTheDepthLimitWithoutLosingSpans() {
    List<Span> chain = new ArrayList<>();
    chain.add(span("s0", "", 0));
    for (int i = 1; i < 100_000; i++) {
      chain.add(span("s" + i, "s" + (i - 1), i));
    }
    List<SpanNode> forest = SpanTree.build(chain, 200);
    assertThat(forest).hasSize(500);
    assertThat(name(forest.get(1).span().spanId())).isEqualTo("s200");
    assertThat(SpanTree.flatten(forest)).hasSize(100_000);
    int depth = 0;
    for (SpanNode n = forest.get(0); !n.children().isEmpty(); n = n.children().get(0)) {
      depth++;
    }
    assertThat(depth).isEqualTo(199);
  }

  @Test
  void anEmptyTraceIsAnEmptyForest() {
    assertThat(SpanTree.build(List.of(), 10)).isEmpty();
  }
}
