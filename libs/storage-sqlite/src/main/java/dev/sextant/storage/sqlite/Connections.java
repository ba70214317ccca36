package dev.sextant.storage.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opens connections to one database file with the settings every process must agree on. */
final class Connections {
  private static final int WRITER_AUTOCHECKPOINT_PAGES = 16_384;
  private static final long WAL_SIZE_LIMIT_BYTES = 64L * 1024 * 1024;

  private final Path file;
  private final SqliteOptions options;

  Connections(Path file, SqliteOptions options) {
    this.file = file;
    this.options = options;
  }

  Path file() {
    return file;
  }

  /**
   * The one writing connection of this process. Order matters: {@code auto_vacuum} only takes
   * effect before the first table exists, and WAL mode (persistent in the file) lets readers of
   * other processes go on while this one writes.
   */
  Connection openWriter() throws SQLException {
    Connection connection = open();
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
        mode.next();
        if (!"wal".equalsIgnoreCase(mode.getString(1))) {
          throw new SQLException(
              file + " refused WAL mode (journal_mode=" + mode.getString(1) + ")");
        }
      }
      statement.execute("PRAGMA synchronous = " + options.synchronous().name());
      statement.execute("PRAGMA cache_size = -" + options.writerCacheKib());
      // The Checkpointer thread copies the WAL back; this is only a backstop if it falls behind.
      statement.execute("PRAGMA wal_autocheckpoint = " + WRITER_AUTOCHECKPOINT_PAGES);
      statement.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT_BYTES);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  /** The connection of the {@link Checkpointer}. */
  Connection openCheckpointer() throws SQLException {
    return open();
  }

  /** A reading connection: refuses writes, so a bug cannot bypass the writer thread. */
  Connection openReader() throws SQLException {
    Connection connection = open();
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA query_only = 1");
      statement.execute("PRAGMA cache_size = -" + options.readerCacheKib());
      // Reads through the mapping, not a pread per page: SQLite reads a blob's overflow pages
      // past its page cache, a system call each, a quarter of a small PromQL query's read.
      statement.execute("PRAGMA mmap_size = " + options.readerMmapMib() * 1024L * 1024L);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  private Connection open() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    // Four processes share each file; wait for a lock rather than fail at once.
    config.setBusyTimeout((int) options.busyTimeout().toMillis());
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }
}
