package dev.sextant.storage.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenant names to the small numbers that key chunk and rollup rows. A committed number never
 * changes, so every process caches it; only committed ones are cached (the writer's own connection
 * sees rows of its open transaction, which may still roll back).
 */
final class TenantRefs {
  static final int UNKNOWN = -1;

  private final ConcurrentHashMap<String, Integer> refs = new ConcurrentHashMap<>();

  /** The tenant's number on a reader connection, or {@link #UNKNOWN} when it has none. */
  int find(StatementCache statements, String tenant) throws SQLException {
    Integer cached = refs.get(tenant);
    if (cached != null) {
      return cached;
    }
    int ref = select(statements, tenant);
    if (ref != UNKNOWN) {
      refs.put(tenant, ref);
    }
    return ref;
  }

  /**
   * The tenant's number on the writer connection, inserting one if needed; {@link #remember} it
   * once the transaction committed.
   */
  int findOrCreate(StatementCache statements, String tenant) throws SQLException {
    Integer cached = refs.get(tenant);
    if (cached != null) {
      return cached;
    }
    int ref = select(statements, tenant);
    if (ref != UNKNOWN) {
      return ref;
    }
    PreparedStatement insert = statements.prepare("INSERT INTO tenants (tenant) VALUES (?)");
    insert.setString(1, tenant);
    insert.executeUpdate();
    return select(statements, tenant);
  }

  void remember(String tenant, int ref) {
    refs.put(tenant, ref);
  }

  private static int select(StatementCache statements, String tenant) throws SQLException {
    PreparedStatement select = statements.prepare("SELECT ref FROM tenants WHERE tenant = ?");
    select.setString(1, tenant);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? rows.getInt(1) : UNKNOWN;
    }
  }
}
