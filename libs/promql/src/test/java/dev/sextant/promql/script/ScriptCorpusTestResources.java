package dev.sextant.promql.script;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads a script file's raw lines from the test resources. */
final class ScriptCorpusTestResources {
  private ScriptCorpusTestResources() {}

  static List<String> lines(String file) throws IOException {
    try (InputStream in = ScriptCorpusTestResources.class.getResourceAsStream("/promql/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
