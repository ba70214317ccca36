package dev.sextant.storage.json;

/**
 * Text as PostgreSQL can hold it. PostgreSQL's {@code text} and {@code jsonb} cannot contain the
 * character U+0000, which OpenTelemetry strings may carry, so every string the PostgreSQL backend
 * stores passes through this reversible escape: U+E000 (a private-use character) becomes U+E000
 * U+E000, and U+0000 becomes U+E000 U+E001. Text without U+0000 and U+E000 — nearly all of it — is
 * unchanged. {@link AttributeJson#escapingNul()} applies it to every string and key of its JSON.
 *
 * <p>The escape is injective and maps character by character, so equality compares escaped values
 * exactly, and {@code escape(needle)} is found in {@code escape(text)} whenever {@code needle} is
 * in {@code text}. The converse holds when the needle has none of U+0000, U+E000, U+E001 (no match
 * can then straddle an escape); substring searches with such needles recheck in Java.
 */
public final class NulEscape {
  static final char ESCAPE = '\uE000';
  static final char NUL_CODE = '\uE001';

  private NulEscape() {}

  public static String escape(String text) {
    if (text.indexOf('\u0000') < 0 && text.indexOf(ESCAPE) < 0) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ESCAPE) {
        escaped.append(ESCAPE).append(ESCAPE);
      } else if (c == '\u0000') {
        escaped.append(ESCAPE).append(NUL_CODE);
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }

  public static String unescape(String stored) {
    if (stored == null || stored.indexOf(ESCAPE) < 0) {
      return stored;
    }
    StringBuilder text = new StringBuilder(stored.length());
    for (int i = 0; i < stored.length(); i++) {
      char c = stored.charAt(i);
      if (c == ESCAPE && i + 1 < stored.length()) {
        char next = stored.charAt(++i);
        text.append(next == NUL_CODE ? '\u0000' : next);
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }

  /** Whether a substring search for this needle over escaped text may find false matches. */
  public static boolean needsRecheck(String needle) {
    return needle.indexOf('\u0000') >= 0
        || needle.indexOf(ESCAPE) >= 0
        || needle.indexOf(NUL_CODE) >= 0;
  }
}
