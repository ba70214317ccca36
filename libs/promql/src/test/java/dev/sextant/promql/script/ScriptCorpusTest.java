package dev.sextant.promql.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.promql.engine.Engine;
import dev.sextant.promql.storage.InMemoryQuerier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every eval of every script in src/test/resources/promql, as one test each, on this engine. */
class ScriptCorpusTest {
  @TestFactory
  Stream<DynamicTest> everyEval() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    Engine engine = new Engine();
    for (String file : Scripts.FILES) {
      Script script = Scripts.load(file);
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
