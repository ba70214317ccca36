package dev.sextant.tracespec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceNodeTest {
  @Test
  void orphansAndCyclesAreListedAtTheTopLevel() {
    List<TraceNode> forest =
        TraceNode.forest(
            new Spans()
                .add(1, 0, "root", 0, 10)
                .add(2, 1, "child", 1, 1)
                .add(3, 99, "orphan", 2, 1)
                .add(4, 5, "cycle a", 3, 1)
                .add(5, 4, "cycle b", 4, 1)
                .build());
    assertThat(forest)
        .extracting(n -> n.span().name())
        .containsExactly("root", "orphan", "cycle a");
    assertThat(forest.get(0).children()).extracting(n -> n.span().name()).containsExactly("child");
    assertThat(forest.get(2).children())
        .extracting(n -> n.span().name())
        .containsExactly("cycle b");
  }

  @Test
  void aVeryDeepChainIsCutAtTheDepthLimit() {
    Spans s = new Spans().add(1, 0, "s1", 0, 1);
    for (int i = 2; i <= 500; i++) {
      s.add(i, i - 1, "s" + i, i, 1);
    }
    List<TraceNode> forest = TraceNode.forest(s.build());
    assertThat(forest.stream().mapToInt(TraceNode::size).sum()).isEqualTo(500);
    assertThat(forest).hasSizeGreaterThan(1);
  }
}
