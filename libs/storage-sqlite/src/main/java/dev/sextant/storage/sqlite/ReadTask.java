package dev.sextant.storage.sqlite;

import java.sql.SQLException;

/** A query run on one of a database's reader threads, with that thread's connection. */
interface ReadTask<T> {
  T apply(StatementCache statements) throws SQLException;
}
