package dev.sextant.promql.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.promql.engine.Engine;
import dev.sextant.promql.storage.InMemoryQuerier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every eval of every script in src/test/resources/promql, as one test each, on this engine. */
class ScriptCorpusTest {
  static final List<String> FILES =
      List.of(
          "selectors.test",
          "operators.test",
          "aggregations.test",
          "functions.test",
          "rates.test",
          "over_time.test",
          "histograms.test",
          "subqueries.test",
          "at_modifier.test",
          "staleness.test",
          "errors.test",
          "labels.test");

  static Script load(String file) throws IOException {
    try (InputStream in = ScriptCorpusTest.class.getResourceAsStream("/promql/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing script " + file);
      }
      return Script.parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @TestFactory
  Stream<DynamicTest> everyEval() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    Engine engine = new Engine();
    for (String file : FILES) {
      Script script = load(file);
      InMemoryQuerier querier = new InMemoryQuerier(script.data);
      for (Script.Eval e : script.evals) {
        tests.add(
            DynamicTest.dynamicTest(
                file + ":" + e.line() + " " + e.query(),
                () -> {
                  String problem = ScriptRunner.run(engine, querier, e).check(e);
                  assertThat(problem).as(file + ":" + e.line() + " " + e.query()).isNull();
                }));
      }
    }
    return tests.stream();
  }
}
