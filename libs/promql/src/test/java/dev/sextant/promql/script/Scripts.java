package dev.sextant.promql.script;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The script corpus in src/test/resources/promql. */
public final class Scripts {
  /** Every script file, in the order the tests run them. */
  public static final List<String> FILES =
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

  private Scripts() {}

  static Script load(String file) throws IOException {
    return Script.parse(file, String.join("\n", lines(file)));
  }

  /** A script's raw lines. */
  public static List<String> lines(String file) throws IOException {
    try (InputStream in = Scripts.class.getResourceAsStream("/promql/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing script " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
