package dev.sextant.storage.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;

/**
 * Prepared statements of one connection, kept by their SQL so each is compiled once; the least
 * recently used is closed beyond {@value #MAX_STATEMENTS} (search SQL is built per query shape).
 * Used by the one thread that owns the connection, so not synchronised.
 */
final class StatementCache implements AutoCloseable {
  private final Connection connection;
  private final DB database;
  private static final int MAX_STATEMENTS = 64;

  private final Map<String, PreparedStatement> statements =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
          if (size() <= MAX_STATEMENTS) {
            return false;
          }
          try {
            eldest.getValue().close();
          } catch (SQLException ignored) {
            // A statement that fails to close holds nothing we could release otherwise.
          }
          return true;
        }
      };

  StatementCache(Connection connection) throws SQLException {
    this.connection = connection;
    this.database = connection.unwrap(SQLiteConnection.class).getDatabase();
  }

  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  Connection connection() {
    return connection;
  }

  /**
   * Runs SQL without parameters, such as {@code BEGIN} or a pragma, to completion with SQLite's own
   * {@code sqlite3_exec}. (The JDBC driver steps a statement without result columns only once,
   * which leaves {@code PRAGMA incremental_vacuum} half done and its transaction unable to commit.)
   */
  void execute(String sql) throws SQLException {
    database._exec(sql);
  }

  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    statements.clear();
    try {
      connection.close();
    } catch (SQLException e) {
      first = first == null ? e : first;
    }
    if (first != null) {
      throw first;
    }
  }
}
