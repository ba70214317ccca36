package dev.sextant.storage.postgres;

import java.util.regex.Pattern;

/**
 * SQL identifiers Sextant builds into statements: only its own table names and the configured
 * schema, checked against a strict pattern and double-quoted. Values never become identifiers;
 * everything a client sends travels as a statement parameter.
 */
final class Identifiers {
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private Identifiers() {}

  static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  static String quote(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "not a plain SQL name (lowercase letters, digits and _, at most 63): " + name);
    }
    return '"' + name + '"';
  }
}
