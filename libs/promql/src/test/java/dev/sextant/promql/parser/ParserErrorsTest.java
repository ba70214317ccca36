package dev.sextant.promql.parser;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Error messages and positions exactly as Prometheus 2.42's API reports them. */
class ParserErrorsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "1 + bool 2|1:3: parse error: bool modifier can only be used on comparison operators",
        "1 == 1|1:3: parse error: comparisons between scalars must use BOOL modifier",
        "a + on(x) 1|1:1: parse error: vector matching only allowed between instant vectors",
        "a and 1|1:1: parse error: set operator \"and\" not allowed in binary scalar expression",
        "a + on(b) group_left(b) c|1:3: parse error: label \"b\" must not occur in ON and GROUP"
            + " clause at once",
        "rate(a)|1:6: parse error: expected type range vector in call to function \"rate\", got"
            + " instant vector",
        "sum(a[5m])|1:5: parse error: expected type instant vector in aggregation expression, got"
            + " range vector",
        "foo[5m] offset 1m [1m]|1:19: parse error: ranges only allowed for vector selectors",
        "-\"a\"|1:1: parse error: unary expression only allowed on expressions of type scalar or"
            + " instant vector, got \"string\"",
        "a offset 5m offset 1m|1:1: parse error: offset may not be set multiple times",
        "rate(a[5m]) offset 1m|1:1: parse error: offset modifier must be preceded by an instant"
            + " vector selector or range vector selector or a subquery",
        "foo{|1:5: parse error: unexpected end of input inside braces",
        "foo{a}|1:6: parse error: unexpected \"}\" in label matching, expected label matching"
            + " operator",
        "foo{a=b}|1:7: parse error: unexpected identifier \"b\" in label matching, expected string",
        "foo{a=\"b\" c=\"d\"}|1:11: parse error: unexpected identifier \"c\" in label matching,"
            + " expected \",\" or \"}\"",
        "{}|1:1: parse error: vector selector must contain at least one non-empty matcher",
        "foo{__name__=\"bar\"}|1:1: parse error: metric name must not be set twice: \"foo\" or"
            + " \"bar\"",
        "sum by (a) (b) by (c)|1:16: parse error: unexpected <by>",
        "topk(a, b)|1:6: parse error: expected type scalar in aggregation parameter, got instant"
            + " vector",
        "count_values(1, a)|1:14: parse error: expected type string in aggregation parameter, got"
            + " scalar",
        "a[5m:1m][1m]|1:9: parse error: ranges only allowed for vector selectors",
        "1[5m:]|1:1: parse error: subquery is only allowed on instant vector, got scalar instead",
        "abs(1)|1:5: parse error: expected type instant vector in call to function \"abs\", got"
            + " scalar",
        "unknownfn(a)|1:1: parse error: unknown function with name \"unknownfn\"",
        "abs()|1:1: parse error: expected 1 argument(s) in call to \"abs\", got 0",
        "round(a, 1, 2)|1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3",
        "label_join(a)|1:1: parse error: expected at least 3 argument(s) in call to \"label_join\","
            + " got 1",
        "a @ 1 @ 2|1:1: parse error: @ <timestamp> may not be set multiple times",
        "a[0s]|1:3: parse error: duration must be greater than 0",
        "a[5m:0s]|1:6: parse error: duration must be greater than 0",
        "(a)[5m]|1:4: parse error: ranges only allowed for vector selectors",
        "~~|1:1: parse error: no expression found in input",
        ")|1:2: parse error: unexpected right parenthesis ')'",
        "a +|1:4: parse error: unexpected end of input",
        "1 +* 2|1:4: parse error: unexpected <op:*>",
        "a or on(b) group_left c|1:1: parse error: no grouping allowed for \"or\" operation",
        "a == bool|1:10: parse error: unexpected end of input",
        "foo bar|1:5: parse error: unexpected identifier \"bar\"",
        "1h|1:1: parse error: unexpected duration \"1h\"",
        "sum(1, 2)|1:1: parse error: wrong number of arguments for aggregate expression provided,"
            + " expected 1, got 2",
      })
  void sameMessageAsPrometheus(String query, String message) {
    assertError(query, message);
  }

  @Test
  void lineAndColumnAcrossLines() {
    assertError(
        "sum(\n  a\n+ on(x) 1)",
        "2:3: parse error: vector matching only allowed between instant vectors");
  }

  private static void assertError(String query, String message) {
    assertThatThrownBy(() -> Parser.parse(query))
        .isInstanceOf(ParseException.class)
        .hasMessage(message);
  }
}
