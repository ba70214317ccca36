package dev.sextant.storage.postgres;

import dev.sextant.storage.json.NulEscape;
import dev.sextant.storage.retention.Lease;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionStore;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RunStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Retention's own records (migration V4): policies with an optimistic version, runs with their
 * tasks, leases with a fencing token. Every check-and-change is one statement ({@code UPDATE …
 * WHERE version = …}, {@code INSERT … ON CONFLICT DO NOTHING}) or one transaction holding the row
 * lock, so two processes racing for the same row cannot both win. {@link PgRetentionStore} adds the
 * data operations.
 */
abstract class PgRetentionBook implements RetentionStore {
  private static final String POLICY_COLUMNS =
      "id, tenant, signal, service, environment, entity_type, entity_name, max_age_nanos,"
          + " max_bytes, schedule, enabled, version, updated";
  private static final String RUN_COLUMNS =
      "id, policy_id, trigger, owner, status, plan_time, scheduled_for, plan_fingerprint, started,"
          + " finished, error, tasks";

  private final PgClient client;

  PgRetentionBook(PgClient client) {
    this.client = client;
  }

  // ------------------------------------------------------------------ policies

  @Override
  public Uni<List<RetentionPolicy>> policies() {
    return client
        .query(
            "reading retention policies",
            "SELECT " + POLICY_COLUMNS + " FROM retention_policies ORDER BY id COLLATE \"C\"",
            Tuple.tuple())
        .map(
            rows -> {
              List<RetentionPolicy> policies = new ArrayList<>();
              for (Row row : rows) {
                policies.add(policy(row));
              }
              return policies;
            });
  }

  private static RetentionPolicy policy(Row row) {
    return new RetentionPolicy(
        text(row, 0),
        text(row, 1),
        RetentionSignal.valueOf(row.getString(2)),
        new RetentionSelector(text(row, 3), text(row, 4), text(row, 5), text(row, 6)),
        Duration.ofNanos(row.getLong(7)),
        row.getLong(8),
        text(row, 9),
        row.getBoolean(10),
        row.getLong(11),
        row.getLong(12));
  }

  @Override
  public Uni<Boolean> savePolicy(RetentionPolicy p) {
    RetentionSelector s = p.selector();
    Tuple values =
        Tuple.from(
            new Object[] {
              escape(p.id()),
              escape(p.tenant()),
              p.signal().name(),
              escape(s.service()),
              escape(s.environment()),
              escape(s.entityType()),
              escape(s.entityName()),
              p.maxAgeNanos(),
              p.maxBytes(),
              escape(p.schedule()),
              p.enabled(),
              p.version(),
              p.updatedUnixNanos()
            });
    String sql =
        p.version() == 1
            ? "INSERT INTO retention_policies ("
                + POLICY_COLUMNS
                + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
                + " ON CONFLICT (id) DO NOTHING"
            : "UPDATE retention_policies SET tenant = $2, signal = $3, service = $4,"
                + " environment = $5, entity_type = $6, entity_name = $7, max_age_nanos = $8,"
                + " max_bytes = $9, schedule = $10, enabled = $11, version = $12, updated = $13"
                + " WHERE id = $1 AND version = $12 - 1";
    return client.query("saving a retention policy", sql, values).map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Uni<Boolean> deletePolicy(String id, long version) {
    return client
        .query(
            "deleting a retention policy",
            "DELETE FROM retention_policies WHERE id = $1 AND version = $2",
            Tuple.of(escape(id), version))
        .map(rows -> rows.rowCount() == 1);
  }

  // ------------------------------------------------------------------ runs

  @Override
  public Uni<Void> saveRun(RetentionRun run) {
    Tuple values =
        Tuple.from(
            new Object[] {
              escape(run.id()),
              escape(run.policyId()),
              escape(run.trigger()),
              escape(run.owner()),
              run.status().name(),
              run.planUnixNanos(),
              run.scheduledForUnixNanos(),
              escape(run.planFingerprint()),
              run.startedUnixNanos(),
              run.finishedUnixNanos(),
              escape(run.error()),
              tasks(run.tasks())
            });
    return client
        .query(
            "saving a retention run",
            "INSERT INTO retention_runs ("
                + RUN_COLUMNS
                + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                + " ON CONFLICT (id) DO UPDATE SET policy_id = excluded.policy_id,"
                + " trigger = excluded.trigger, owner = excluded.owner, status = excluded.status,"
                + " plan_time = excluded.plan_time, scheduled_for = excluded.scheduled_for,"
                + " plan_fingerprint = excluded.plan_fingerprint, started = excluded.started,"
                + " finished = excluded.finished, error = excluded.error, tasks = excluded.tasks",
            values)
        .replaceWithVoid();
  }

  /** Replaces the task of the same step, or appends it, under the run's row lock. */
  @Override
  public Uni<Void> saveTask(String runId, RetentionTask task) {
    return client.transaction(
        "saving a retention task",
        connection ->
            connection
                .preparedQuery("SELECT tasks FROM retention_runs WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(escape(runId)))
                .compose(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        return Future.succeededFuture();
                      }
                      List<RetentionTask> tasks =
                          new ArrayList<>(readTasks(rows.iterator().next().getString(0)));
                      RetentionTask.record(tasks, task);
                      return connection
                          .preparedQuery("UPDATE retention_runs SET tasks = $2 WHERE id = $1")
                          .execute(Tuple.of(escape(runId), tasks(tasks)))
                          .mapEmpty();
                    }));
  }

  @Override
  public Uni<List<RetentionRun>> runs(String policyId, int limit) {
    String order = " ORDER BY started DESC, id COLLATE \"C\" DESC LIMIT ";
    String sql =
        policyId == null
            ? "SELECT " + RUN_COLUMNS + " FROM retention_runs" + order + "$1"
            : "SELECT " + RUN_COLUMNS + " FROM retention_runs WHERE policy_id = $2" + order + "$1";
    Tuple parameters = policyId == null ? Tuple.of(limit) : Tuple.of(limit, escape(policyId));
    return client
        .query("reading retention runs", sql, parameters)
        .map(
            rows -> {
              List<RetentionRun> runs = new ArrayList<>();
              for (Row row : rows) {
                runs.add(
                    new RetentionRun(
                        text(row, 0),
                        text(row, 1),
                        text(row, 2),
                        text(row, 3),
                        RunStatus.valueOf(row.getString(4)),
                        row.getLong(5),
                        row.getLong(6),
                        text(row, 7),
                        row.getLong(8),
                        row.getLong(9),
                        text(row, 10),
                        readTasks(row.getString(11))));
              }
              return runs;
            });
  }

  @Override
  public Uni<Integer> pruneRuns(int keep) {
    return client
        .query(
            "pruning retention runs",
            "DELETE FROM retention_runs WHERE status <> 'RUNNING' AND id NOT IN (SELECT id FROM"
                + " retention_runs WHERE status <> 'RUNNING'"
                + " ORDER BY started DESC, id COLLATE \"C\" DESC LIMIT $1)",
            Tuple.of(Math.max(0, keep)))
        .map(rows -> rows.rowCount());
  }

  /** Tasks as a JSON array of objects, in order ({@link PgJson}: strings escaped). */
  private static String tasks(List<RetentionTask> tasks) {
    List<Object> list = new ArrayList<>(tasks.size());
    for (RetentionTask t : tasks) {
      Map<String, Object> task = new LinkedHashMap<>();
      task.put("tenant", t.tenant());
      task.put("signal", t.signal().name());
      task.put("kind", t.kind().name());
      task.put("state", t.state().name());
      task.put("cutoff", t.cutoffUnixNanos());
      task.put("rows", t.rows());
      task.put("bytes", t.bytes());
      task.put("note", t.note());
      list.add(task);
    }
    return PgJson.JSON.value(list);
  }

  private static List<RetentionTask> readTasks(String json) {
    List<RetentionTask> tasks = new ArrayList<>();
    for (Object element : (List<?>) PgJson.JSON.readValue(json)) {
      Map<?, ?> t = (Map<?, ?>) element;
      tasks.add(
          new RetentionTask(
              (String) t.get("tenant"),
              RetentionSignal.valueOf((String) t.get("signal")),
              RetentionTask.Kind.valueOf((String) t.get("kind")),
              RetentionTask.State.valueOf((String) t.get("state")),
              (Long) t.get("cutoff"),
              (Long) t.get("rows"),
              (Long) t.get("bytes"),
              (String) t.get("note")));
    }
    return tasks;
  }

  // ------------------------------------------------------------------ leases

  /**
   * {@link Lease#grant} on the stored lease under its row lock; the first lease of a name is an
   * insert that only one of two racing processes wins.
   */
  @Override
  public Uni<Optional<Lease>> acquireLease(String name, String owner, long now, long ttl) {
    return client.transaction(
        "acquiring a retention lease",
        connection ->
            connection
                .preparedQuery(
                    "SELECT name, owner, token, expires FROM retention_leases WHERE name = $1"
                        + " FOR UPDATE")
                .execute(Tuple.of(escape(name)))
                .compose(
                    rows -> {
                      Lease held = rows.rowCount() == 0 ? null : lease(rows.iterator().next());
                      Optional<Lease> granted = Lease.grant(held, name, owner, now, ttl);
                      if (granted.isEmpty()) {
                        return Future.succeededFuture(granted);
                      }
                      Lease lease = granted.get();
                      String sql =
                          held == null
                              ? "INSERT INTO retention_leases (name, owner, token, expires)"
                                  + " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING"
                              : "UPDATE retention_leases SET owner = $2, token = $3, expires = $4"
                                  + " WHERE name = $1";
                      return connection
                          .preparedQuery(sql)
                          .execute(leaseTuple(lease))
                          .map(
                              written ->
                                  written.rowCount() == 1 ? granted : Optional.<Lease>empty());
                    }));
  }

  @Override
  public Uni<Boolean> renewLease(Lease lease, long now, long ttl) {
    return client
        .query(
            "renewing a retention lease",
            "UPDATE retention_leases SET expires = $4 WHERE name = $1 AND owner = $2"
                + " AND token = $3",
            leaseTuple(lease.renewed(now, ttl)))
        .map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Uni<Void> releaseLease(Lease lease) {
    return client
        .query(
            "releasing a retention lease",
            "UPDATE retention_leases SET expires = $4 WHERE name = $1 AND owner = $2"
                + " AND token = $3",
            leaseTuple(lease.released()))
        .replaceWithVoid();
  }

  @Override
  public Uni<Optional<Lease>> lease(String name) {
    return client
        .query(
            "reading a retention lease",
            "SELECT name, owner, token, expires FROM retention_leases WHERE name = $1",
            Tuple.of(escape(name)))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? Optional.empty()
                    : Optional.of(lease(rows.iterator().next())));
  }

  private static Tuple leaseTuple(Lease lease) {
    return Tuple.of(
        escape(lease.name()), escape(lease.owner()), lease.token(), lease.expiresUnixNanos());
  }

  private static Lease lease(Row row) {
    return new Lease(text(row, 0), text(row, 1), row.getLong(2), row.getLong(3));
  }

  private static String escape(String text) {
    return text == null ? null : NulEscape.escape(text);
  }

  private static String text(Row row, int column) {
    return NulEscape.unescape(row.getString(column));
  }
}
