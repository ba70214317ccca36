package dev.sextant.promql.parser;

/**
 * Finds the constructs Java's regular expressions accept but RE2 (and so Prometheus) refuses:
 * look-around, atomic groups, back-references and possessive quantifiers. They are also what makes
 * a backtracking engine exponential, so refusing them closes the worst hostile inputs.
 */
final class Re2Syntax {
  private Re2Syntax() {}

  /** A description of the first unsupported construct, or {@code null} when there is none. */
  static String unsupportedConstruct(String regex) {
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        if (i + 1 < regex.length()) {
          char next = regex.charAt(i + 1);
          if (!inClass && next >= '1' && next <= '9') {
            return "back-references (\\" + next + ") are not supported";
          }
          if (!inClass && next == 'k') {
            return "named back-references (\\k) are not supported";
          }
        }
        i++;
        continue;
      }
      if (inClass) {
        if (c == ']') {
          inClass = false;
        }
        continue;
      }
      switch (c) {
        case '[' -> {
          inClass = true;
          // A ']' right after '[' or '[^' is a literal, not the end of the class.
          if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
            i++;
          }
          if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
            i++;
          }
        }
        case '(' -> {
          if (regex.startsWith("(?=", i)
              || regex.startsWith("(?!", i)
              || regex.startsWith("(?<=", i)
              || regex.startsWith("(?<!", i)) {
            return "look-around groups are not supported";
          }
          if (regex.startsWith("(?>", i)) {
            return "atomic groups are not supported";
          }
        }
        case '*', '+', '?' -> {
          if (i + 1 < regex.length() && regex.charAt(i + 1) == '+') {
            return "possessive quantifiers (" + c + "+) are not supported";
          }
        }
        default -> {}
      }
    }
    return null;
  }
}
