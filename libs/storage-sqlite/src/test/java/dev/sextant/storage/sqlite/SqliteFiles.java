package dev.sextant.storage.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Plain JDBC on a database file, the way another process (or an operator) would open it. */
final class SqliteFiles {
  private SqliteFiles() {}

  static Connection open(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  static String pragma(Path file, String pragma) throws SQLException {
    return text(file, "PRAGMA " + pragma);
  }

  static long count(Path file, String sql) throws SQLException {
    String text = text(file, sql);
    return text == null ? 0 : Long.parseLong(text);
  }

  /** The first column of the first row, as text. */
  static String text(Path file, String sql) throws SQLException {
    try (Connection connection = open(file);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  static void execute(Path file, String sql) throws SQLException {
    try (Connection connection = open(file);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
