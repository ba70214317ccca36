package dev.sextant.promql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PromQL query into tokens, as Prometheus's lexer does: durations are recognised by their
 * unit ({@code 5m}, {@code 1h30m}), {@code Inf}/{@code NaN} in any case are numbers, words are
 * keywords except inside braces, where everything is a label name, and a colon separates range and
 * step inside brackets but belongs to the identifier elsewhere.
 */
final class Lexer {
  private final String input;
  private int pos;
  private int braceOpen = -1;
  private int bracketOpen = -1;
  private int parenDepth;
  private final List<Token> tokens = new ArrayList<>();

  private Lexer(String input) {
    this.input = input;
  }

  static List<Token> lex(String input) {
    Lexer lexer = new Lexer(input);
    lexer.run();
    return lexer.tokens;
  }

  private void run() {
    while (true) {
      skipSpace();
      if (pos >= input.length()) {
        if (braceOpen >= 0) {
          throw new ParseException(pos, "unexpected end of input inside braces");
        }
        if (parenDepth > 0) {
          throw new ParseException(pos, "unclosed left parenthesis");
        }
        if (bracketOpen >= 0) {
          throw new ParseException(pos, "unclosed left bracket");
        }
        tokens.add(new Token(TokenType.EOF, "", pos, pos));
        return;
      }
      char c = input.charAt(pos);
      if (c == '#') {
        int eol = input.indexOf('\n', pos);
        pos = eol < 0 ? input.length() : eol;
        continue;
      }
      if (braceOpen >= 0) {
        insideBraces(c);
      } else if (bracketOpen >= 0) {
        insideBrackets(c);
      } else {
        statement(c);
      }
    }
  }

  private void statement(char c) {
    int start = pos;
    switch (c) {
      case ',' -> single(TokenType.COMMA);
      case '(' -> {
        parenDepth++;
        single(TokenType.LEFT_PAREN);
      }
      case ')' -> {
        if (parenDepth == 0) {
          throw new ParseException(pos + 1, "unexpected right parenthesis ')'");
        }
        parenDepth--;
        single(TokenType.RIGHT_PAREN);
      }
      case '{' -> {
        braceOpen = pos;
        single(TokenType.LEFT_BRACE);
      }
      case '}' -> throw new ParseException(pos, "unexpected right bracket '}'");
      case '[' -> {
        bracketOpen = pos;
        single(TokenType.LEFT_BRACKET);
      }
      case ']' -> throw new ParseException(pos, "unexpected right bracket ']'");
      case '@' -> single(TokenType.AT);
      case '+' -> single(TokenType.ADD);
      case '-' -> single(TokenType.SUB);
      case '*' -> single(TokenType.MUL);
      case '/' -> single(TokenType.DIV);
      case '%' -> single(TokenType.MOD);
      case '^' -> single(TokenType.POW);
      case '=' -> {
        if (peek(1) == '=') {
          pair(TokenType.EQLC);
        } else if (peek(1) == '~') {
          throw new ParseException(pos, "unexpected character after '=': '~'");
        } else {
          single(TokenType.EQL);
        }
      }
      case '!' -> {
        if (peek(1) == '=') {
          pair(TokenType.NEQ);
        } else {
          throw new ParseException(pos, "unexpected character after '!': " + quoteChar(peek(1)));
        }
      }
      case '<' -> {
        if (peek(1) == '=') {
          pair(TokenType.LTE);
        } else {
          single(TokenType.LSS);
        }
      }
      case '>' -> {
        if (peek(1) == '=') {
          pair(TokenType.GTE);
        } else {
          single(TokenType.GTR);
        }
      }
      case '"', '\'', '`' -> string();
      default -> {
        if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
          numberOrDuration();
        } else if (isAlpha(c) || c == ':') {
          word(start);
        } else {
          throw new ParseException(pos, "unexpected character: " + quoteChar(c));
        }
      }
    }
  }

  private void insideBraces(char c) {
    switch (c) {
      case ',' -> single(TokenType.COMMA);
      case '}' -> {
        braceOpen = -1;
        single(TokenType.RIGHT_BRACE);
      }
      case '{' -> throw new ParseException(pos, "unexpected left brace '{' inside braces");
      case '=' -> {
        if (peek(1) == '~') {
          pair(TokenType.EQL_REGEX);
        } else {
          single(TokenType.EQL);
        }
      }
      case '!' -> {
        if (peek(1) == '~') {
          pair(TokenType.NEQ_REGEX);
        } else if (peek(1) == '=') {
          pair(TokenType.NEQ);
        } else {
          throw new ParseException(pos, "unexpected character inside braces: '!'");
        }
      }
      case '"', '\'', '`' -> string();
      default -> {
        if (isAlpha(c)) {
          int start = pos;
          while (pos < input.length() && isAlphaNumeric(input.charAt(pos))) {
            pos++;
          }
          tokens.add(new Token(TokenType.IDENTIFIER, input.substring(start, pos), start, pos));
        } else {
          throw new ParseException(pos, "unexpected character inside braces: " + quoteChar(c));
        }
      }
    }
  }

  private void insideBrackets(char c) {
    switch (c) {
      case ']' -> {
        bracketOpen = -1;
        single(TokenType.RIGHT_BRACKET);
      }
      case ':' -> single(TokenType.COLON);
      case '-' -> single(TokenType.SUB);
      case '+' -> single(TokenType.ADD);
      default -> {
        if (isDigit(c)) {
          numberOrDuration();
        } else if (c == '[') {
          throw new ParseException(pos, "unexpected left bracket '[' inside brackets");
        } else {
          throw new ParseException(pos, "unexpected character inside brackets: " + quoteChar(c));
        }
      }
    }
  }

  private void string() {
    GoStringLiteral.Read read = GoStringLiteral.read(input, pos);
    tokens.add(new Token(TokenType.STRING, read.value(), pos, read.end()));
    pos = read.end();
  }

  private void word(int start) {
    while (pos < input.length()
        && (isAlphaNumeric(input.charAt(pos)) || input.charAt(pos) == ':')) {
      pos++;
    }
    String word = input.substring(start, pos);
    String lower = word.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("nan")) {
      tokens.add(new Token(TokenType.NUMBER, word, start, pos));
      return;
    }
    TokenType keyword = TokenType.keyword(lower);
    if (keyword != null) {
      tokens.add(new Token(keyword, word, start, pos));
    } else {
      tokens.add(
          new Token(
              word.indexOf(':') >= 0 ? TokenType.METRIC_IDENTIFIER : TokenType.IDENTIFIER,
              word,
              start,
              pos));
    }
  }

  /**
   * A number ({@code 1}, {@code 1.5e3}, {@code .5}, {@code 0x1f}) or, when a unit letter follows
   * the digits, a duration ({@code 5m}, {@code 1h30m}).
   */
  private void numberOrDuration() {
    int start = pos;
    int end = scanNumber(start);
    if (end > start && (end >= input.length() || !isAlphaNumeric(input.charAt(end)))) {
      pos = end;
      tokens.add(new Token(TokenType.NUMBER, input.substring(start, end), start, end));
      return;
    }
    int run = start;
    while (run < input.length() && isAlphaNumeric(input.charAt(run))) {
      run++;
    }
    String text = input.substring(start, run);
    if (Durations.isDuration(text)) {
      pos = run;
      tokens.add(new Token(TokenType.DURATION, text, start, run));
      return;
    }
    throw new ParseException(start, "bad number or duration syntax: \"" + text + "\"");
  }

  private int scanNumber(int start) {
    int i = start;
    String digits = "0123456789";
    if (peekAt(i) == '0' && (peekAt(i + 1) == 'x' || peekAt(i + 1) == 'X')) {
      i += 2;
      int hexStart = i;
      while (i < input.length() && Character.digit(input.charAt(i), 16) >= 0) {
        i++;
      }
      return i > hexStart ? i : start;
    }
    while (i < input.length() && digits.indexOf(input.charAt(i)) >= 0) {
      i++;
    }
    if (peekAt(i) == '.') {
      i++;
      while (i < input.length() && digits.indexOf(input.charAt(i)) >= 0) {
        i++;
      }
    }
    if (i > start && (peekAt(i) == 'e' || peekAt(i) == 'E')) {
      int e = i + 1;
      if (peekAt(e) == '+' || peekAt(e) == '-') {
        e++;
      }
      int expStart = e;
      while (e < input.length() && digits.indexOf(input.charAt(e)) >= 0) {
        e++;
      }
      if (e > expStart) {
        i = e;
      }
    }
    return i;
  }

  private void single(TokenType type) {
    tokens.add(new Token(type, type.text, pos, pos + 1));
    pos++;
  }

  private void pair(TokenType type) {
    tokens.add(new Token(type, type.text, pos, pos + 2));
    pos += 2;
  }

  private void skipSpace() {
    while (pos < input.length()) {
      char c = input.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek(int ahead) {
    return peekAt(pos + ahead);
  }

  private char peekAt(int i) {
    return i < input.length() ? input.charAt(i) : 0;
  }

  private static String quoteChar(char c) {
    return c == 0 ? "end of input" : GoStringLiteral.printable(c);
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAlpha(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isAlphaNumeric(char c) {
    return isAlpha(c) || isDigit(c);
  }

  /** Whether {@code s} is a valid (unquoted) Prometheus label name. */
  static boolean isLabelName(String s) {
    if (s.isEmpty() || !isAlpha(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!isAlphaNumeric(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
