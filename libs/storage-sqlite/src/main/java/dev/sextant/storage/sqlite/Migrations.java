package dev.sextant.storage.sqlite;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a database file's schema up to date. Runs inside {@code BEGIN IMMEDIATE}, which takes the
 * file's write lock first, so when several processes start at once one migrates and the others wait
 * (busy timeout), then see the new {@code user_version} and do nothing.
 */
final class Migrations {
  private Migrations() {}

  static void migrate(Connection connection, Signal signal, Path file) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      boolean committed = false;
      try {
        int current = userVersion(statement);
        int latest = signal.latestVersion();
        if (current > latest) {
          throw new StorageException(
              Code.INTERNAL,
              file
                  + " has schema version "
                  + current
                  + " but this Sextant knows versions up to "
                  + latest
                  + ": it was written by a newer Sextant; run that version (or newer) on it");
        }
        for (int version = current + 1; version <= latest; version++) {
          String name = signal.migrations().get(version - 1);
          for (String sql : statements(load(signal, name))) {
            statement.execute(sql);
          }
          statement.execute("PRAGMA user_version = " + version);
        }
        statement.execute("COMMIT");
        committed = true;
      } finally {
        if (!committed) {
          rollbackQuietly(statement);
        }
      }
    }
  }

  private static void rollbackQuietly(Statement statement) {
    try {
      statement.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // The failure that got us here is the one worth reporting; SQLite may have rolled back.
    }
  }

  static int userVersion(Statement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /** The statements of a migration: separated by a semicolon at the end of a line. */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        statements.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }

  private static String load(Signal signal, String name) {
    String resource = signal.migrationDirectory() + "/" + name;
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new StorageException(Code.INTERNAL, "migration " + resource + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StorageException(Code.INTERNAL, "cannot read migration " + resource, e);
    }
  }
}
