package dev.sextant.ingest.otlp;

/** UTF-8 lengths and cuts of Java strings, without encoding them. */
public final class Utf8 {
  private Utf8() {}

  /** The number of bytes {@code s} takes in UTF-8. */
  public static long length(String s) {
    // One byte per char to start with, then the extra bytes of the rare non-ASCII ones: every
    // attribute key and value of every span passes here.
    int chars = s.length();
    long bytes = chars;
    for (int i = 0; i < chars; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && isPair(s, i)) {
          bytes += 2; // two chars, four bytes
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  /**
   * The longest prefix of {@code s} whose UTF-8 form fits {@code maxBytes}, never splitting a
   * character (a surrogate pair stays whole).
   */
  static String truncate(String s, int maxBytes) {
    // Fast path: no string of n chars takes more than 3n bytes (a pair is 2 chars, 4 bytes).
    if ((long) s.length() * 3 <= maxBytes) {
      return s;
    }
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      int width = charBytes(s, i);
      if (bytes + width > maxBytes) {
        return s.substring(0, i);
      }
      bytes += width;
      if (Character.isHighSurrogate(s.charAt(i)) && isPair(s, i)) {
        i++;
      }
    }
    return s;
  }

  /** Bytes of the character starting at {@code i}; a surrogate pair counts 4. */
  private static int charBytes(String s, int i) {
    char c = s.charAt(i);
    if (c < 0x80) {
      return 1;
    }
    if (c < 0x800) {
      return 2;
    }
    if (Character.isHighSurrogate(c) && isPair(s, i)) {
      return 4;
    }
    return 3;
  }

  private static boolean isPair(String s, int i) {
    return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
  }
}
