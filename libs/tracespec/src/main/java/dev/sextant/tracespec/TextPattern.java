package dev.sextant.tracespec;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pattern over a whole text: a glob ({@code *} any run, {@code ?} one character, {@code \} quotes
 * the next character; a glob without wildcards is an exact match) or a regular expression (Java
 * syntax, matched against the whole text).
 */
public final class TextPattern {
  /** Longest pattern source accepted. */
  static final int MAX_LENGTH = 1000;

  /** How the source is read. */
  public enum Kind {
    GLOB,
    REGEX
  }

  private final Kind kind;
  private final String source;
  private final Pattern compiled;

  private TextPattern(Kind kind, String source, Pattern compiled) {
    this.kind = kind;
    this.source = source;
    this.compiled = compiled;
  }

  public static TextPattern glob(String glob) {
    return new TextPattern(Kind.GLOB, glob, Pattern.compile(globToRegex(glob), Pattern.DOTALL));
  }

  /** A glob matching exactly {@code text}: its wildcard characters quoted. */
  public static TextPattern literal(String text) {
    return glob(quote(text));
  }

  public static TextPattern regex(String regex) {
    return new TextPattern(Kind.REGEX, regex, Pattern.compile(regex));
  }

  /** Parses with errors that name {@code path}. */
  static TextPattern parse(String path, Kind kind, String source) {
    if (source.length() > MAX_LENGTH) {
      throw TraceSpecException.invalid(
          path, "pattern is " + source.length() + " characters, at most " + MAX_LENGTH);
    }
    if (kind == Kind.GLOB) {
      return glob(source);
    }
    try {
      return regex(source);
    } catch (PatternSyntaxException e) {
      throw TraceSpecException.invalid(
          path, "invalid regex /" + source + "/: " + e.getDescription());
    }
  }

  public Kind kind() {
    return kind;
  }

  public String source() {
    return source;
  }

  /** The Java regular expression this pattern matches whole texts with (a glob's translation). */
  public String regexSource() {
    return compiled.pattern();
  }

  /** The one text a literal glob matches. */
  public String literalText() {
    if (!isLiteral()) {
      throw new IllegalStateException("not a literal: " + this);
    }
    return unquote(source);
  }

  /** True when a glob has no wildcard: it matches one text only. */
  public boolean isLiteral() {
    return kind == Kind.GLOB && !source.contains("*") && !source.contains("?");
  }

  boolean matches(String text, MatchBudget budget) {
    if (isLiteral() && source.indexOf('\\') < 0) {
      return source.equals(text);
    }
    return compiled.matcher(new GuardedText(text, budget)).matches();
  }

  /** As in a matcher's label: the glob as written, a regex between slashes. */
  String shortForm() {
    return kind == Kind.GLOB ? source : "/" + source + "/";
  }

  /** As shown in reports: {@code "text"}, {@code glob "a*"} or {@code /re/}. */
  @Override
  public String toString() {
    return switch (kind) {
      case GLOB -> isLiteral() ? '"' + unquote(source) + '"' : "glob \"" + source + '"';
      case REGEX -> "/" + source + "/";
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TextPattern p && p.kind == kind && p.source.equals(source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, source);
  }

  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String unquote(String glob) {
    StringBuilder out = new StringBuilder(glob.length());
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\' && i + 1 < glob.length()) {
        c = glob.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\' && i + 1 < glob.length()) {
        literal.append(glob.charAt(++i));
      } else if (c == '*' || c == '?') {
        flush(re, literal);
        // Consecutive stars are one star: "a**b" must not backtrack more than "a*b".
        if (c == '*' && re.toString().endsWith(".*")) {
          continue;
        }
        re.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    flush(re, literal);
    return re.toString();
  }

  private static void flush(StringBuilder re, StringBuilder literal) {
    if (!literal.isEmpty()) {
      re.append(Pattern.quote(literal.toString()));
      literal.setLength(0);
    }
  }
}
