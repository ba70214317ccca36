package dev.sextant.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.promql.script.Scripts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every query of the test corpora (compliance templates, our extras, the scripts) printed and
 * parsed again gives the same tree, and printing is stable.
 */
class PrinterRoundTripTest {

  @Test
  void printedQueriesParseBackToTheSameTree() throws IOException {
    List<String> queries = corpus();
    assertThat(queries).hasSizeGreaterThan(300);
    int parsed = 0;
    for (String q : queries) {
      Expr e;
      try {
        e = Parser.parse(q);
      } catch (ParseException expectedForSomeQueries) {
        continue;
      }
      parsed++;
      String printed = e.toPromQL();
      Expr again = Parser.parse(printed);
      assertThat(again.toPromQL()).as(q).isEqualTo(printed);
      assertThat(withoutPositions(again)).as(q).isEqualTo(withoutPositions(e));
    }
    assertThat(parsed).isGreaterThan(300);
  }

  /** The tree's structure: printing with every paren kept is a faithful fingerprint. */
  private static String withoutPositions(Expr e) {
    return e.type() + ":" + e.toPromQL();
  }

  private static List<String> corpus() throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : lines("/conformance/compliance_templates.tsv")) {
      if (!line.startsWith("#") && !line.isBlank() && !line.contains("{{")) {
        out.add(line.split("\t")[0]);
      }
    }
    for (String line : lines("/conformance/extra_queries.txt")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        out.add(line.startsWith("!") ? line.substring(1).trim() : line.trim());
      }
    }
    for (String file : Scripts.FILES) {
      for (String line : Scripts.lines(file)) {
        String l = line.strip();
        int at = l.indexOf(" at ");
        if (l.startsWith("eval instant at ") || l.startsWith("eval_ordered instant at ")) {
          String rest = l.substring(at + 4);
          out.add(rest.substring(rest.indexOf(' ') + 1));
        }
      }
    }
    return out;
  }

  private static List<String> lines(String resource) throws IOException {
    try (InputStream in = PrinterRoundTripTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
