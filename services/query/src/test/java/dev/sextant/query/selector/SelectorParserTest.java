package dev.sextant.query.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.LabelMatcher.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorParserTest {

  private static List<String> parsed(String selector) {
    return SelectorParser.parse(selector).stream()
        .map(m -> m.name() + " " + m.type() + " " + m.value())
        .toList();
  }

  @Test
  void aBareMetricName() {
    assertThat(parsed("http_requests_total")).containsExactly("__name__ EQUAL http_requests_total");
    assertThat(parsed("  job:rate5m  ")).containsExactly("__name__ EQUAL job:rate5m");
    assertThat(parsed("foo{}")).containsExactly("__name__ EQUAL foo");
  }

  @Test
  void allFourOperators() {
    assertThat(parsed("m{label=\"v\", other!=\"x\", re=~\"a.*\", nre!~\"b\"}"))
        .containsExactly(
            "label EQUAL v",
            "other NOT_EQUAL x",
            "re REGEX a.*",
            "nre NOT_REGEX b",
            "__name__ EQUAL m");
  }

  @Test
  void theNameAsALabelAndATrailingComma() {
    assertThat(parsed("{__name__=\"m\", job=\"api\",}"))
        .containsExactly("__name__ EQUAL m", "job EQUAL api");
    assertThat(parsed("{__name__=~\"a.*\", __name__!=\"ab\"}"))
        .containsExactly("__name__ REGEX a.*", "__name__ NOT_EQUAL ab");
  }

  @Test
  void quotedNamesForDottedOpenTelemetryNames() {
    assertThat(parsed("{\"gen_ai.client.token.usage\", \"service.name\"=\"api\"}"))
        .containsExactly("service.name EQUAL api", "__name__ EQUAL gen_ai.client.token.usage");
    assertThat(parsed("{'e2e.requests'}")).containsExactly("__name__ EQUAL e2e.requests");
  }

  @Test
  void whitespaceAnywhereBetweenTokens() {
    assertThat(parsed(" m \t{\n a = \"1\" ,\r\n b !~ \"2\" } "))
        .containsExactly("a EQUAL 1", "b NOT_REGEX 2", "__name__ EQUAL m");
  }

  @Test
  void stringEscapesAsInPromQl() {
    assertThat(value("{a=\"q\\\"uote\"}")).isEqualTo("q\"uote");
    assertThat(value("{a='it\\'s'}")).isEqualTo("it's");
    assertThat(value("{a=\"tab\\tnl\\nbs\\\\\"}")).isEqualTo("tab\tnl\nbs\\");
    assertThat(value("{a=\"\\a\\b\\f\\r\\v\"}")).isEqualTo("\u0007\b\f\r\u000b");
    assertThat(value("{a=\"\\x41\\101\\u00e9\\U0001F600\"}")).isEqualTo("AAé\uD83D\uDE00");
    assertThat(value("{a=\"\\xc3\\xa9\"}")).isEqualTo("é");
    assertThat(value("{a=`raw \\n \"stays\"`}")).isEqualTo("raw \\n \"stays\"");
    assertThat(value("{a=\"日本\"}")).isEqualTo("日本");
  }

  private static String value(String selector) {
    return SelectorParser.parse(selector).get(0).value();
  }

  @Test
  void regexMatchersAreAnchoredAndCompiled() {
    LabelMatcher m = SelectorParser.parse("{job=~\"api|web\"}").get(0);
    assertThat(m.type()).isEqualTo(Type.REGEX);
    assertThat(m.matches("api")).isTrue();
    assertThat(m.matches("xapi")).isFalse();
  }

  @Test
  void errorsNameTheCharacterPosition() {
    assertError("", 1, "empty selector");
    assertError("   ", 4, "empty selector");
    assertError("{", 2, "unexpected end of input inside braces");
    assertError("foo{bar}", 8, "expected label matching operator");
    assertError("foo{bar=\"x\"", 12, "unexpected end of input inside braces");
    assertError("foo{bar=x}", 9, "unexpected identifier \"x\" in label matching, expected string");
    assertError("foo{bar==\"x\"}", 9, "expected string");
    assertError("foo{bar=\"x\" baz=\"y\"}", 13, "expected \",\" or \"}\"");
    assertError("foo{,}", 5, "expected identifier or \"}\"");
    assertError("foo{1a=\"x\"}", 5, "unexpected character inside braces");
    assertError("foo{a=\"x\"}[5m]", 11, "unexpected \"[\"");
    assertError("rate(foo[5m])", 5, "unexpected \"(\"");
    assertError("foo bar", 5, "unexpected identifier \"bar\"");
    assertError("e2e.requests", 4, "unexpected character: '.'");
    assertError("42", 1, "expected a metric name or '{'");
  }

  @Test
  void stringErrors() {
    assertError("{a=\"open}", 4, "unterminated quoted string");
    assertError("{a=`open}", 4, "unterminated raw string");
    assertError("{a=\"line\nbreak\"}", 4, "unterminated quoted string");
    assertError("{a=\"\\q\"}", 5, "unknown escape sequence \\'q'");
    assertError("{a=\"\\'\"}", 5, "unknown escape sequence \\'''");
    assertError("{a='\\\"'}", 5, "unknown escape sequence");
    assertError("{a=\"\\x4\"}", 8, "illegal character");
    assertError("{a=\"\\u12\"}", 9, "illegal character");
    assertError("{a=\"\\777\"}", 5, "octal escape value above 255");
    assertError("{a=\"\\uD800\"}", 5, "invalid Unicode code point");
    assertError("{a=\"\\U00110000\"}", 5, "invalid Unicode code point");
    assertError("{a=\"\\xff\"}", 4, "valid UTF-8");
    assertError("{a=\"\\", 5, "escape sequence not terminated");
  }

  @Test
  void prometheusRulesOnNamesAndEmptyMatchers() {
    assertError("foo{__name__=\"bar\"}", 1, "metric name must not be set twice");
    assertError("{\"foo\", \"bar\"}", 9, "metric name must not be set twice");
    assertError("{\"\"}", 2, "metric name must not be empty");
    assertError("{\"\"=\"x\"}", 2, "label name must not be empty");
    assertError("{}", 1, "vector selector must contain at least one non-empty matcher");
    assertError("{a=\"\"}", 1, "at least one non-empty matcher");
    assertError("{a=~\".*\", b!=\"x\"}", 1, "at least one non-empty matcher");
    assertThat(parsed("{a=~\".+\"}")).containsExactly("a REGEX .+");
  }

  @Test
  void badOrNonRe2RegularExpressions() {
    assertError("{a=~\"(\"}", 5, "invalid regular expression for label a");
    assertError("{a=~\"(?=x)\"}", 5, "look-around groups are not supported");
    assertError("{a=~\"(a)\\\\1\"}", 5, "back-references");
    assertError("{a=~\"a++\"}", 5, "possessive quantifiers");
    assertError("{a=~\"(?>a)\"}", 5, "atomic groups");
    // Inside a character class these characters are literals, as in RE2.
    assertThat(parsed("{a=~\"[+*?(]+\"}")).containsExactly("a REGEX [+*?(]+");
    assertThat(parsed("{a=~\"[]a]+\"}")).containsExactly("a REGEX []a]+");
  }

  private static void assertError(String selector, int position, String message) {
    assertThatThrownBy(() -> SelectorParser.parse(selector))
        .as(selector)
        .isInstanceOf(SelectorSyntaxException.class)
        .hasMessageStartingWith("parse error at char " + position + ": ")
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((SelectorSyntaxException) e).position()).isEqualTo(position));
  }
}
