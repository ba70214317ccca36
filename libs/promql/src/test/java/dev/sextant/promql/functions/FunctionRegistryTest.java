package dev.sextant.promql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.promql.parser.FunctionSignatures;
import dev.sextant.promql.parser.ValueType;
import org.junit.jupiter.api.Test;

class FunctionRegistryTest {

  @Test
  void everySignatureHasAnImplementationAndNoMore() {
    assertThat(FunctionRegistry.all().keySet())
        .containsExactlyInAnyOrderElementsOf(FunctionSignatures.all().keySet());
  }

  @Test
  void rangeFunctionsAreExactlyThoseTakingARangeVector() {
    FunctionSignatures.all()
        .forEach(
            (name, sig) ->
                assertThat(FunctionRegistry.lookup(name) instanceof RangeFunction)
                    .as(name)
                    .isEqualTo(sig.argTypes().contains(ValueType.MATRIX)));
  }

  /** Prometheus 2.42's 70 functions less histogram_count, histogram_sum, histogram_fraction. */
  @Test
  void theWholePrometheus242FloatFunctionSet() {
    assertThat(FunctionSignatures.all()).hasSize(67);
  }
}
