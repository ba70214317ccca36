package dev.sextant.promql.parser;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a PromQL string literal: {@code "..."} or {@code '...'} with Go escapes ({@code \a \b \f \n
 * \r \t \v \\}, the enclosing quote, {@code \ooo}, {@code \xhh}, a backslash-u with 4 hex digits,
 * {@code \Uhhhhhhhh}), or a raw {@code `...`} without escapes. As in Go, octal and hex escapes are
 * bytes, so {@code "\xc3\xa9"} is {@code é}; the bytes must form valid UTF-8.
 */
final class GoStringLiteral {
  /** The value read, and the index just past the closing quote. */
  record Read(String value, int end) {}

  private GoStringLiteral() {}

  static boolean isQuote(char c) {
    return c == '"' || c == '\'' || c == '`';
  }

  /** Reads the literal whose opening quote is at {@code start}. */
  static Read read(String input, int start) {
    char quote = input.charAt(start);
    if (quote == '`') {
      int close = input.indexOf('`', start + 1);
      if (close < 0) {
        throw new ParseException(start, "unterminated raw string");
      }
      return new Read(input.substring(start + 1, close), close + 1);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = start + 1;
    while (true) {
      if (i >= input.length()) {
        throw new ParseException(start, "unterminated quoted string");
      }
      char c = input.charAt(i);
      if (c == quote) {
        return new Read(utf8(bytes, start), i + 1);
      }
      if (c == '\n') {
        throw new ParseException(start, "unterminated quoted string");
      }
      if (c != '\\') {
        int codePoint = input.codePointAt(i);
        appendUtf8(bytes, codePoint);
        i += Character.charCount(codePoint);
        continue;
      }
      i = escape(input, i, quote, bytes);
    }
  }

  /** Decodes the escape whose backslash is at {@code backslash}; returns the index after it. */
  private static int escape(String input, int backslash, char quote, ByteArrayOutputStream out) {
    int i = backslash + 1;
    if (i >= input.length()) {
      throw new ParseException(backslash, "escape sequence not terminated");
    }
    char c = input.charAt(i);
    switch (c) {
      case 'a' -> out.write(0x07);
      case 'b' -> out.write(0x08);
      case 'f' -> out.write(0x0c);
      case 'n' -> out.write('\n');
      case 'r' -> out.write('\r');
      case 't' -> out.write('\t');
      case 'v' -> out.write(0x0b);
      case '\\' -> out.write('\\');
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        int value = digits(input, i, 3, 8, backslash);
        if (value > 255) {
          throw new ParseException(backslash, "octal escape value above 255");
        }
        out.write(value);
        return i + 3;
      }
      case 'x' -> {
        out.write(digits(input, i + 1, 2, 16, backslash));
        return i + 3;
      }
      case 'u', 'U' -> {
        int count = c == 'u' ? 4 : 8;
        int codePoint = digits(input, i + 1, count, 16, backslash);
        if (codePoint < 0
            || codePoint > Character.MAX_CODE_POINT
            || (codePoint >= 0xD800 && codePoint < 0xE000)) {
          throw new ParseException(backslash, "escape sequence is an invalid Unicode code point");
        }
        appendUtf8(out, codePoint);
        return i + 1 + count;
      }
      default -> {
        if (c != quote) {
          throw new ParseException(
              backslash, "unknown escape sequence \\" + printable(input.codePointAt(i)));
        }
        out.write(c);
      }
    }
    return i + 1;
  }

  private static int digits(String input, int from, int count, int radix, int backslash) {
    if (from + count > input.length()) {
      throw new ParseException(backslash, "escape sequence not terminated");
    }
    int value = 0;
    for (int k = from; k < from + count; k++) {
      int digit = Character.digit(input.charAt(k), radix);
      if (digit < 0 || input.charAt(k) > 127) {
        throw new ParseException(
            k,
            "illegal character "
                + printable(input.codePointAt(k))
                + " in escape sequence (expected "
                + count
                + (radix == 8 ? " octal" : " hex")
                + " digits)");
      }
      value = value * radix + digit;
    }
    return value;
  }

  private static void appendUtf8(ByteArrayOutputStream out, int codePoint) {
    out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
  }

  private static String utf8(ByteArrayOutputStream bytes, int start) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ParseException(
          start, "string escapes do not form valid UTF-8 (label values are UTF-8 text)");
    }
  }

  static String printable(int codePoint) {
    if (codePoint >= 0x20 && codePoint < 0x7f) {
      return "'" + (char) codePoint + "'";
    }
    return String.format("U+%04X", codePoint);
  }
}
