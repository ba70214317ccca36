package dev.sextant.storage.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExactSumTest {

  /** The exact sum rounded once, to nearest even (BigDecimal's conversion), as the reference. */
  private static double exact(List<Double> terms) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double term : terms) {
      sum = sum.add(new BigDecimal(term));
    }
    return sum.doubleValue();
  }

  private static double randomTerm(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextDouble() * 1e16;
      case 1 -> -random.nextDouble() * 1e-3;
      case 2 -> Math.scalb(random.nextDouble() - 0.5, random.nextInt(-60, 60));
      default -> random.nextInt(-1000, 1000);
    };
  }

  @Test
  void isTheExactSumRoundedOnceWhateverTheOrderAndGrouping() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 500; round++) {
      List<Double> terms = new ArrayList<>();
      int n = random.nextInt(1, 60);
      for (int i = 0; i < n; i++) {
        terms.add(randomTerm(random));
      }
      double expected = exact(terms);

      ExactSum forward = ExactSum.ZERO;
      for (double term : terms) {
        forward = forward.plus(term);
      }
      Collections.shuffle(terms, new java.util.Random(round));
      int split = random.nextInt(terms.size() + 1);
      ExactSum left = ExactSum.of(terms.subList(0, split).stream().mapToDouble(d -> d).toArray());
      ExactSum right =
          ExactSum.of(terms.subList(split, terms.size()).stream().mapToDouble(d -> d).toArray());

      assertThat(forward.value()).isEqualTo(expected);
      assertThat(left.plus(right).value()).isEqualTo(expected);
      assertThat(ExactSum.fromParts(forward.partials(), forward.nonFinite()).value())
          .isEqualTo(expected);
    }
  }

  @Test
  void roundsTiesAcrossPartialsToEven() {
    // 1 + 1e16 is a tie between two doubles; the tiny term decides it upwards.
    assertThat(ExactSum.of(1e-16, 1, 1e16).value()).isEqualTo(1.0000000000000002e16);
    assertThat(ExactSum.of(0.1, 0.2, -0.3).value()).isEqualTo(2.7755575615628914e-17);
  }

  @Test
  void nonFiniteTermsFollowIeeeRules() {
    assertThat(ExactSum.of(1, Double.POSITIVE_INFINITY).value())
        .isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(ExactSum.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).value()).isNaN();
    assertThat(ExactSum.of(Double.NaN, 5).value()).isNaN();
    ExactSum inf = ExactSum.of(Double.NEGATIVE_INFINITY);
    assertThat(ExactSum.fromParts(inf.partials(), inf.nonFinite()).value())
        .isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void anEmptySumIsZeroAndEqualSumsAreEqual() {
    assertThat(ExactSum.ZERO.value()).isEqualTo(0.0);
    assertThat(ExactSum.of(-0.0, -0.0).value()).isEqualTo(0.0);
    assertThat(ExactSum.of(1, 2))
        .isEqualTo(ExactSum.of(2.5, 0.5))
        .hasSameHashCodeAs(ExactSum.of(3));
  }
}
