package dev.sextant.storage.sqlite;

import dev.sextant.storage.retention.Lease;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RunStatus;
import io.smallrye.mutiny.Uni;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Retention's own records in {@code retention.db}: policies, runs with their tasks, leases. Every
 * change is one small write task; the version and lease checks happen inside it, so two processes
 * racing for the same row cannot both win.
 */
final class RetentionBook {
  private final DatabaseAccess database;

  RetentionBook(DatabaseAccess database) {
    this.database = database;
  }

  /** A write of one statement's worth of rows. */
  private <T> Uni<T> write(SqlWrite<T> body) {
    return database.write(
        () ->
            new WriteTask<T>() {
              @Override
              public int rows() {
                return 1;
              }

              @Override
              public T apply(StatementCache statements) throws SQLException {
                return body.apply(statements);
              }
            });
  }

  private interface SqlWrite<T> {
    T apply(StatementCache statements) throws SQLException;
  }

  // ------------------------------------------------------------------ policies

  private static final String POLICY_COLUMNS =
      "id, tenant, signal, service, environment, entity_type, entity_name, max_age, max_bytes,"
          + " schedule, enabled, version, updated";

  Uni<List<RetentionPolicy>> policies() {
    return database.read(
        statements -> {
          List<RetentionPolicy> policies = new ArrayList<>();
          try (ResultSet rows =
              statements
                  .prepare("SELECT " + POLICY_COLUMNS + " FROM policies ORDER BY id")
                  .executeQuery()) {
            while (rows.next()) {
              policies.add(readPolicy(rows));
            }
          }
          return policies;
        });
  }

  private static RetentionPolicy readPolicy(ResultSet row) throws SQLException {
    return new RetentionPolicy(
        row.getString(1),
        row.getString(2),
        RetentionSignal.valueOf(row.getString(3)),
        new RetentionSelector(
            row.getString(4), row.getString(5), row.getString(6), row.getString(7)),
        Duration.ofNanos(row.getLong(8)),
        row.getLong(9),
        row.getString(10),
        row.getInt(11) == 1,
        row.getLong(12),
        row.getLong(13));
  }

  Uni<Boolean> savePolicy(RetentionPolicy policy) {
    return write(
        statements -> {
          long stored = storedVersion(statements, policy.id());
          if (policy.version() != stored + 1) {
            return false;
          }
          PreparedStatement upsert =
              statements.prepare(
                  "INSERT OR REPLACE INTO policies ("
                      + POLICY_COLUMNS
                      + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
          RetentionSelector selector = policy.selector();
          upsert.setString(1, policy.id());
          upsert.setString(2, policy.tenant());
          upsert.setString(3, policy.signal().name());
          upsert.setString(4, selector.service());
          upsert.setString(5, selector.environment());
          upsert.setString(6, selector.entityType());
          upsert.setString(7, selector.entityName());
          upsert.setLong(8, policy.maxAgeNanos());
          upsert.setLong(9, policy.maxBytes());
          upsert.setString(10, policy.schedule());
          upsert.setInt(11, policy.enabled() ? 1 : 0);
          upsert.setLong(12, policy.version());
          upsert.setLong(13, policy.updatedUnixNanos());
          upsert.executeUpdate();
          return true;
        });
  }

  /** The stored version of a policy; 0 when there is none. */
  private static long storedVersion(StatementCache statements, String id) throws SQLException {
    PreparedStatement select = statements.prepare("SELECT version FROM policies WHERE id = ?");
    select.setString(1, id);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }

  Uni<Boolean> deletePolicy(String id, long version) {
    return write(
        statements -> {
          PreparedStatement delete =
              statements.prepare("DELETE FROM policies WHERE id = ? AND version = ?");
          delete.setString(1, id);
          delete.setLong(2, version);
          return delete.executeUpdate() == 1;
        });
  }

  // ------------------------------------------------------------------ runs

  private static final String RUN_COLUMNS =
      "id, policy_id, trigger, owner, status, plan_time, scheduled_for, fingerprint, started,"
          + " finished, error";

  Uni<Void> saveRun(RetentionRun run) {
    return write(
        statements -> {
          PreparedStatement upsert =
              statements.prepare(
                  "INSERT OR REPLACE INTO runs ("
                      + RUN_COLUMNS
                      + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)");
          upsert.setString(1, run.id());
          upsert.setString(2, run.policyId());
          upsert.setString(3, run.trigger());
          upsert.setString(4, run.owner());
          upsert.setString(5, run.status().name());
          upsert.setLong(6, run.planUnixNanos());
          upsert.setLong(7, run.scheduledForUnixNanos());
          upsert.setString(8, run.planFingerprint());
          upsert.setLong(9, run.startedUnixNanos());
          upsert.setLong(10, run.finishedUnixNanos());
          upsert.setString(11, run.error());
          upsert.executeUpdate();
          PreparedStatement clear = statements.prepare("DELETE FROM run_tasks WHERE run_id = ?");
          clear.setString(1, run.id());
          clear.executeUpdate();
          int seq = 0;
          for (RetentionTask task : run.tasks()) {
            putTask(statements, run.id(), task, seq++);
          }
          return null;
        });
  }

  Uni<Void> saveTask(String runId, RetentionTask task) {
    return write(
        statements -> {
          PreparedStatement existing =
              statements.prepare(
                  "SELECT seq FROM run_tasks WHERE run_id = ? AND tenant = ? AND signal = ?"
                      + " AND kind = ?");
          existing.setString(1, runId);
          existing.setString(2, task.tenant());
          existing.setString(3, task.signal().name());
          existing.setString(4, task.kind().name());
          int seq;
          try (ResultSet rows = existing.executeQuery()) {
            if (rows.next()) {
              seq = rows.getInt(1);
            } else {
              PreparedStatement next =
                  statements.prepare(
                      "SELECT coalesce(max(seq), -1) + 1 FROM run_tasks WHERE run_id = ?");
              next.setString(1, runId);
              try (ResultSet max = next.executeQuery()) {
                max.next();
                seq = max.getInt(1);
              }
            }
          }
          putTask(statements, runId, task, seq);
          return null;
        });
  }

  private static void putTask(StatementCache statements, String runId, RetentionTask task, int seq)
      throws SQLException {
    PreparedStatement insert =
        statements.prepare(
            "INSERT OR REPLACE INTO run_tasks (run_id, tenant, signal, kind, seq, state, cutoff,"
                + " rows, bytes, note) VALUES (?,?,?,?,?,?,?,?,?,?)");
    insert.setString(1, runId);
    insert.setString(2, task.tenant());
    insert.setString(3, task.signal().name());
    insert.setString(4, task.kind().name());
    insert.setInt(5, seq);
    insert.setString(6, task.state().name());
    insert.setLong(7, task.cutoffUnixNanos());
    insert.setLong(8, task.rows());
    insert.setLong(9, task.bytes());
    insert.setString(10, task.note());
    insert.executeUpdate();
  }

  Uni<List<RetentionRun>> runs(String policyId, int limit) {
    return database.read(
        statements -> {
          PreparedStatement select =
              statements.prepare(
                  "SELECT "
                      + RUN_COLUMNS
                      + " FROM runs WHERE ?1 IS NULL OR policy_id = ?1"
                      + " ORDER BY started DESC, id DESC LIMIT ?2");
          select.setString(1, policyId);
          select.setInt(2, limit);
          Map<String, Object[]> heads = new LinkedHashMap<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              Object[] head = new Object[11];
              for (int i = 0; i < head.length; i++) {
                head[i] = rows.getObject(i + 1);
              }
              heads.put(rows.getString(1), head);
            }
          }
          List<RetentionRun> runs = new ArrayList<>(heads.size());
          for (Object[] h : heads.values()) {
            runs.add(
                new RetentionRun(
                    (String) h[0],
                    (String) h[1],
                    (String) h[2],
                    (String) h[3],
                    RunStatus.valueOf((String) h[4]),
                    ((Number) h[5]).longValue(),
                    ((Number) h[6]).longValue(),
                    (String) h[7],
                    ((Number) h[8]).longValue(),
                    ((Number) h[9]).longValue(),
                    (String) h[10],
                    tasks(statements, (String) h[0])));
          }
          return runs;
        });
  }

  private static List<RetentionTask> tasks(StatementCache statements, String runId)
      throws SQLException {
    PreparedStatement select =
        statements.prepare(
            "SELECT tenant, signal, kind, state, cutoff, rows, bytes, note FROM run_tasks"
                + " WHERE run_id = ? ORDER BY seq");
    select.setString(1, runId);
    List<RetentionTask> tasks = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        tasks.add(
            new RetentionTask(
                rows.getString(1),
                RetentionSignal.valueOf(rows.getString(2)),
                RetentionTask.Kind.valueOf(rows.getString(3)),
                RetentionTask.State.valueOf(rows.getString(4)),
                rows.getLong(5),
                rows.getLong(6),
                rows.getLong(7),
                rows.getString(8)));
      }
    }
    return tasks;
  }

  Uni<Integer> pruneRuns(int keep) {
    return write(
        statements -> {
          List<String> old = new ArrayList<>();
          PreparedStatement select =
              statements.prepare(
                  "SELECT id FROM runs WHERE status <> 'RUNNING'"
                      + " ORDER BY started DESC, id DESC LIMIT -1 OFFSET ?");
          select.setInt(1, keep);
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              old.add(rows.getString(1));
            }
          }
          PreparedStatement run = statements.prepare("DELETE FROM runs WHERE id = ?");
          PreparedStatement tasks = statements.prepare("DELETE FROM run_tasks WHERE run_id = ?");
          for (String id : old) {
            run.setString(1, id);
            run.executeUpdate();
            tasks.setString(1, id);
            tasks.executeUpdate();
          }
          return old.size();
        });
  }

  // ------------------------------------------------------------------ leases

  Uni<Optional<Lease>> acquireLease(String name, String owner, long now, long ttl) {
    return write(
        statements -> {
          Optional<Lease> granted =
              Lease.grant(readLease(statements, name).orElse(null), name, owner, now, ttl);
          if (granted.isPresent()) {
            putLease(statements, granted.get());
          }
          return granted;
        });
  }

  Uni<Boolean> renewLease(Lease lease, long now, long ttl) {
    return write(
        statements -> {
          if (!lease.isHeldAs(readLease(statements, lease.name()).orElse(null))) {
            return false;
          }
          putLease(statements, lease.renewed(now, ttl));
          return true;
        });
  }

  Uni<Void> releaseLease(Lease lease) {
    return write(
        statements -> {
          if (lease.isHeldAs(readLease(statements, lease.name()).orElse(null))) {
            putLease(statements, lease.released());
          }
          return null;
        });
  }

  Uni<Optional<Lease>> lease(String name) {
    return database.read(statements -> readLease(statements, name));
  }

  private static Optional<Lease> readLease(StatementCache statements, String name)
      throws SQLException {
    PreparedStatement select =
        statements.prepare("SELECT owner, token, expires FROM leases WHERE name = ?");
    select.setString(1, name);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next()
          ? Optional.of(new Lease(name, rows.getString(1), rows.getLong(2), rows.getLong(3)))
          : Optional.empty();
    }
  }

  private static void putLease(StatementCache statements, Lease lease) throws SQLException {
    PreparedStatement upsert =
        statements.prepare(
            "INSERT OR REPLACE INTO leases (name, owner, token, expires) VALUES (?,?,?,?)");
    upsert.setString(1, lease.name());
    upsert.setString(2, lease.owner());
    upsert.setLong(3, lease.token());
    upsert.setLong(4, lease.expiresUnixNanos());
    upsert.executeUpdate();
  }
}
