package dev.sextant.promql.parser;

import dev.sextant.storage.query.LabelMatcher;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Builds and checks label matchers the way Prometheus does, for the selector parser and for gRPC
 * callers that send matchers ready-made.
 */
public final class Matchers {
  private Matchers() {}

  /**
   * A matcher; regular expressions must be valid and within the RE2 syntax Prometheus accepts, so a
   * selector that works here works against Prometheus and the other way round.
   */
  public static LabelMatcher of(String name, LabelMatcher.Type type, String value) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("label name must not be empty");
    }
    switch (type) {
      case REGEX, NOT_REGEX -> {
        String unsupported = Re2Syntax.unsupportedConstruct(value);
        if (unsupported != null) {
          throw new IllegalArgumentException(
              "invalid regular expression for label " + name + ": " + unsupported);
        }
      }
      case EQUAL, NOT_EQUAL -> {}
    }
    try {
      return switch (type) {
        case REGEX, NOT_REGEX -> new LabelMatcher(name, type, value, compileAnchored(value));
        case EQUAL, NOT_EQUAL -> LabelMatcher.of(name, type, value);
      };
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "invalid regular expression for label "
              + name
              + ": "
              + e.getDescription()
              + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
    }
  }

  /**
   * Compiles an RE2 regular expression as Prometheus anchors it ({@code ^(?:re)$}, with {@code .}
   * matching newlines); Go's {@code (?P<name>)} groups become Java's {@code (?<name>)}.
   */
  public static Pattern compileAnchored(String regex) {
    return Pattern.compile("^(?:" + regex.replace("(?P<", "(?<") + ")$", Pattern.DOTALL);
  }

  /**
   * The first construct of {@code regex} that Java accepts but RE2 (and so Prometheus) refuses, or
   * null when there is none.
   */
  public static String unsupportedRegexConstruct(String regex) {
    return Re2Syntax.unsupportedConstruct(regex);
  }

  /**
   * Refuses a matcher list that every series satisfies: like Prometheus, at least one matcher must
   * not match the empty string, so a typo cannot select every series of a tenant.
   */
  public static List<LabelMatcher> requireSelective(List<LabelMatcher> matchers) {
    if (matchers.stream().allMatch(m -> m.matches(""))) {
      throw new IllegalArgumentException(
          "a selector must contain at least one matcher that does not match the empty string,"
              + " e.g. a metric name");
    }
    return List.copyOf(matchers);
  }
}
