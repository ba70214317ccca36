package dev.sextant.storage.sqlite;

import java.sql.SQLException;

/**
 * Work for a database's writer thread. It runs inside a transaction the writer opened, possibly
 * together with other tasks (group commit); its result is handed out only after the commit.
 */
interface WriteTask<T> {
  /** Roughly how many rows the task writes; the writer caps the rows of one transaction. */
  int rows();

  T apply(StatementCache statements) throws SQLException;

  /**
   * Runs on the writer thread once the transaction holding the task committed, before its future
   * completes: the place to update memory that must follow only committed data.
   */
  default void committed(T result) {}

  /** Runs on the writer thread when the task's rows were rolled back (its failure or another's). */
  default void abandoned() {}
}
