package dev.sextant.query.selector;

import dev.sextant.storage.query.LabelMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one PromQL vector selector into label matchers: {@code metric_name}, {@code
 * metric_name{label="v", other!="x", re=~"a.*", nre!~"b"}} or {@code {__name__="m", ...}}, with
 * Prometheus 3's quoted names for metrics and labels that are not identifiers ({@code
 * {"gen_ai.client.token.usage", "service.name"="api"}}). Strings, escapes, the trailing comma, the
 * "metric name set twice" and "at least one non-empty matcher" rules are Prometheus'. Nothing else
 * of PromQL is accepted here (no ranges, offsets, functions or operators); the full PromQL parser
 * will replace this class.
 *
 * <p>Errors are {@link SelectorSyntaxException}s naming the 1-based character position.
 */
public final class SelectorParser {
  private final String input;
  private int pos;
  private String metricName;
  private int metricNamePos;
  private final List<LabelMatcher> matchers = new ArrayList<>();
  private boolean nameMatcherInBraces;

  private SelectorParser(String input) {
    this.input = input;
  }

  public static List<LabelMatcher> parse(String selector) {
    return new SelectorParser(selector).selector();
  }

  private List<LabelMatcher> selector() {
    skipSpace();
    if (atEnd()) {
      throw error(pos, "empty selector: expected a metric name or '{'");
    }
    if (isMetricNameStart(peek())) {
      metricNamePos = pos;
      metricName = identifier(true);
      if (!atEnd() && peek() == '.') {
        throw error(
            pos,
            "metric names with '.' must be quoted inside the braces, e.g. {\""
                + metricName
                + ".…\"}");
      }
    }
    skipSpace();
    if (!atEnd() && peek() == '{') {
      braces();
    } else if (metricName == null) {
      throw error(pos, "unexpected " + describeHere() + ": expected a metric name or '{'");
    }
    skipSpace();
    if (!atEnd()) {
      throw error(
          pos,
          "unexpected "
              + describeHere()
              + " after the selector: only a plain selector is accepted here (no range, offset,"
              + " function or operator)");
    }
    if (metricName != null) {
      if (nameMatcherInBraces) {
        throw error(metricNamePos, "metric name must not be set twice");
      }
      matchers.add(Matchers.of(LabelMatcher.METRIC_NAME, LabelMatcher.Type.EQUAL, metricName));
    }
    try {
      return Matchers.requireSelective(matchers);
    } catch (IllegalArgumentException e) {
      throw error(0, e.getMessage());
    }
  }

  private void braces() {
    int open = pos;
    pos++; // '{'
    skipSpace();
    if (!atEnd() && peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      skipSpace();
      if (atEnd()) {
        throw error(open, "unclosed '{'");
      }
      item();
      skipSpace();
      if (atEnd()) {
        throw error(open, "unclosed '{'");
      }
      char c = peek();
      if (c == '}') {
        pos++;
        return;
      }
      if (c != ',') {
        throw error(
            pos, "unexpected " + describeHere() + " in label matching: expected ',' or '}'");
      }
      pos++;
      skipSpace();
      if (!atEnd() && peek() == '}') { // a trailing comma is allowed
        pos++;
        return;
      }
    }
  }

  /** One item inside the braces: a label matcher, or a quoted metric name on its own. */
  private void item() {
    int itemPos = pos;
    String name;
    if (StringLiteral.isQuote(peek())) {
      name = string();
      skipSpace();
      if (atEnd() || (peek() != '=' && peek() != '!')) {
        setQuotedMetricName(name, itemPos);
        return;
      }
    } else if (isLabelNameStart(peek())) {
      name = identifier(false);
      skipSpace();
    } else {
      throw error(
          pos,
          "unexpected " + describeHere() + " in label matching: expected a label name or string");
    }
    if (name.isEmpty()) {
      throw error(itemPos, "label name must not be empty");
    }
    int opPos = pos;
    LabelMatcher.Type type = operator();
    skipSpace();
    if (atEnd() || !StringLiteral.isQuote(peek())) {
      throw error(
          pos,
          "unexpected "
              + describeHere()
              + " in label matching: expected a quoted string after the operator at char "
              + (opPos + 1));
    }
    int valuePos = pos;
    String value = string();
    if (LabelMatcher.METRIC_NAME.equals(name)) {
      nameMatcherInBraces = true;
    }
    try {
      matchers.add(Matchers.of(name, type, value));
    } catch (IllegalArgumentException e) {
      throw error(valuePos, e.getMessage());
    }
  }

  private void setQuotedMetricName(String name, int namePos) {
    if (name.isEmpty()) {
      throw error(namePos, "metric name must not be empty");
    }
    if (metricName != null) {
      throw error(namePos, "metric name must not be set twice");
    }
    metricName = name;
    metricNamePos = namePos;
  }

  private LabelMatcher.Type operator() {
    if (atEnd()) {
      throw error(pos, "unexpected end of input: expected one of =, !=, =~, !~");
    }
    char c = peek();
    char next = pos + 1 < input.length() ? input.charAt(pos + 1) : 0;
    if (c == '=') {
      pos += next == '~' ? 2 : 1;
      return next == '~' ? LabelMatcher.Type.REGEX : LabelMatcher.Type.EQUAL;
    }
    if (c == '!' && (next == '=' || next == '~')) {
      pos += 2;
      return next == '=' ? LabelMatcher.Type.NOT_EQUAL : LabelMatcher.Type.NOT_REGEX;
    }
    throw error(
        pos, "unexpected " + describeHere() + " in label matching: expected one of =, !=, =~, !~");
  }

  private String string() {
    StringLiteral.Read read = StringLiteral.read(input, pos);
    pos = read.end();
    return read.value();
  }

  private String identifier(boolean metric) {
    int start = pos;
    pos++;
    while (!atEnd() && isNameChar(peek(), metric)) {
      pos++;
    }
    return input.substring(start, pos);
  }

  private static boolean isMetricNameStart(char c) {
    return isLabelNameStart(c) || c == ':';
  }

  private static boolean isLabelNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNameChar(char c, boolean metric) {
    return isLabelNameStart(c) || (c >= '0' && c <= '9') || (metric && c == ':');
  }

  private void skipSpace() {
    while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      pos++;
    }
  }

  private boolean atEnd() {
    return pos >= input.length();
  }

  private char peek() {
    return input.charAt(pos);
  }

  private String describeHere() {
    return atEnd() ? "end of input" : StringLiteral.printable(input.codePointAt(pos));
  }

  /** An error at a 0-based index, reported 1-based; positions already 1-based pass through. */
  private static SelectorSyntaxException error(int index, String message) {
    return new SelectorSyntaxException(index + 1, message);
  }
}
