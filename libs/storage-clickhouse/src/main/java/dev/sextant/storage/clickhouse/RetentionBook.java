package dev.sextant.storage.clickhouse;

import com.clickhouse.client.api.Client;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.retention.Lease;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RunStatus;
import io.smallrye.mutiny.Uni;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Retention's own records in ClickHouse: policies, leases and runs, each a {@code
 * ReplacingMergeTree} keyed by id (name) whose {@code seq} grows with every change, read with
 * {@code FINAL}.
 *
 * <p>Policies and leases change by compare-and-set without Keeper (ADR 0013): a change reads the
 * current row, decides, and inserts the new row with the deduplication token {@code key:seq of the
 * row it replaces} and a random nonce. ClickHouse stores at most one block per token (the tables'
 * {@code non_replicated_deduplication_window}; Keeper's window for Replicated tables), so of two
 * changes made from the same state one lands and the other is dropped; each reads the row back and
 * succeeded only if it finds its own nonce. Runs are written by the one instance holding the
 * policy's lease, so a plain insert replaces them.
 */
final class RetentionBook {
  private static final List<String> POLICY_COLUMNS =
      List.of(
          "id",
          "tenant",
          "signal",
          "service",
          "environment",
          "entity_type",
          "entity_name",
          "max_age_ns",
          "max_bytes",
          "schedule",
          "enabled",
          "policy_version",
          "updated",
          "deleted",
          "nonce",
          "seq");
  private static final List<String> LEASE_COLUMNS =
      List.of("name", "owner", "token", "expires", "nonce", "seq");
  private static final List<String> RUN_COLUMNS =
      List.of(
          "id",
          "policy_id",
          "trigger",
          "owner",
          "status",
          "plan",
          "scheduled_for",
          "fingerprint",
          "started",
          "finished",
          "error",
          "tasks",
          "seq");

  private static final String POLICY_SELECT =
      "SELECT id, tenant, signal, service, environment, entity_type, entity_name, max_age_ns,"
          + " max_bytes, schedule, enabled, policy_version, updated, deleted, nonce, seq";

  private final ClickHouseAccess access;
  private final Schema schema;
  private final VersionClock clock;
  private final RandomGenerator random = new SecureRandom();

  RetentionBook(ClickHouseAccess access, Schema schema, VersionClock clock) {
    this.access = access;
    this.schema = schema;
    this.clock = clock;
  }

  /** A stored row's change state: its sequence number and nonce. */
  private record Version(long seq, long nonce) {
    static final Version NONE = new Version(0, 0);
  }

  private long nextSeq(Version current) {
    return Math.max(clock.next(1), current.seq() + 1);
  }

  // ------------------------------------------------------------------ policies

  private record StoredPolicy(RetentionPolicy policy, boolean deleted, Version version) {}

  private List<StoredPolicy> readPolicies(Client c, String id) throws Exception {
    return access.queryBlocking(
        c,
        POLICY_SELECT
            + " FROM "
            + schema.table(Schema.RETENTION_POLICIES)
            + " FINAL"
            + (id == null ? "" : " WHERE id = {id:String}"),
        id == null ? Map.of() : Map.of("id", id),
        in -> {
          List<StoredPolicy> out = new ArrayList<>();
          while (in.hasMore()) {
            String pid = in.string();
            String tenant = in.string();
            String signal = in.string();
            RetentionSelector selector =
                new RetentionSelector(in.string(), in.string(), in.string(), in.string());
            long maxAge = in.int64();
            long maxBytes = in.int64();
            String schedule = in.string();
            boolean enabled = in.uint8() != 0;
            long version = in.int64();
            long updated = in.int64();
            boolean deleted = in.uint8() != 0;
            long nonce = in.int64();
            Version v = new Version(in.int64(), nonce);
            RetentionPolicy policy =
                deleted
                    ? null
                    : new RetentionPolicy(
                        pid,
                        tenant,
                        RetentionSignal.ofJsonName(signal)
                            .orElseThrow(() -> Codes.corrupt("retention signal " + signal, 0)),
                        selector,
                        Duration.ofNanos(maxAge),
                        maxBytes,
                        schedule,
                        enabled,
                        version,
                        updated);
            out.add(new StoredPolicy(policy, deleted, v));
          }
          return out;
        });
  }

  Uni<List<RetentionPolicy>> policies() {
    return access.run(
        "read retention policies",
        c -> {
          List<RetentionPolicy> out = new ArrayList<>();
          for (StoredPolicy stored : readPolicies(c, null)) {
            if (!stored.deleted()) {
              out.add(stored.policy());
            }
          }
          out.sort(Comparator.comparing(RetentionPolicy::id));
          return out;
        });
  }

  Uni<Boolean> savePolicy(RetentionPolicy policy) {
    return access.run(
        "save a retention policy",
        c -> {
          List<StoredPolicy> stored = readPolicies(c, policy.id());
          StoredPolicy current = stored.isEmpty() ? null : stored.getFirst();
          long expected = current == null || current.deleted() ? 0 : current.policy().version();
          if (policy.version() != expected + 1) {
            return false;
          }
          return changePolicy(c, policy.id(), current, policy);
        });
  }

  Uni<Boolean> deletePolicy(String id, long version) {
    return access.run(
        "delete a retention policy",
        c -> {
          List<StoredPolicy> stored = readPolicies(c, id);
          StoredPolicy current = stored.isEmpty() ? null : stored.getFirst();
          if (current == null || current.deleted() || current.policy().version() != version) {
            return false;
          }
          return changePolicy(c, id, current, null);
        });
  }

  /** Replaces the current row (or none) by the policy, or by a tombstone when it is null. */
  private boolean changePolicy(Client c, String id, StoredPolicy current, RetentionPolicy policy)
      throws Exception {
    Version was = current == null ? Version.NONE : current.version();
    long nonce = random.nextLong();
    RowBinaryOutput out = new RowBinaryOutput(256);
    out.string(id);
    out.string(policy == null ? "" : policy.tenant());
    out.string(policy == null ? "" : policy.signal().jsonName());
    RetentionSelector selector = policy == null ? RetentionSelector.ANY : policy.selector();
    out.string(orEmpty(selector.service()));
    out.string(orEmpty(selector.environment()));
    out.string(orEmpty(selector.entityType()));
    out.string(orEmpty(selector.entityName()));
    out.int64(policy == null ? 0 : policy.maxAge().toNanos());
    out.int64(policy == null ? 0 : policy.maxBytes());
    out.string(policy == null ? "" : policy.schedule());
    out.uint8(policy != null && policy.enabled() ? 1 : 0);
    out.int64(policy == null ? 0 : policy.version());
    out.int64(policy == null ? 0 : policy.updatedUnixNanos());
    out.uint8(policy == null ? 1 : 0);
    out.int64(nonce);
    out.int64(nextSeq(was));
    access.insertOnce(
        c,
        schema.table(Schema.RETENTION_POLICIES),
        POLICY_COLUMNS,
        out,
        "policy:" + id + ":" + was.seq());
    List<StoredPolicy> after = readPolicies(c, id);
    return !after.isEmpty() && after.getFirst().version().nonce() == nonce;
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  // ------------------------------------------------------------------ leases

  private record StoredLease(Lease lease, Version version) {}

  private StoredLease readLease(Client c, String name) throws Exception {
    return access.queryBlocking(
        c,
        "SELECT name, owner, token, expires, nonce, seq FROM "
            + schema.table(Schema.RETENTION_LEASES)
            + " FINAL WHERE name = {name:String}",
        Map.of("name", name),
        in -> {
          if (!in.hasMore()) {
            return null;
          }
          Lease lease = new Lease(in.string(), in.string(), in.int64(), in.int64());
          long nonce = in.int64();
          return new StoredLease(lease, new Version(in.int64(), nonce));
        });
  }

  /** Stores the lease over the current row; whether it landed. */
  private boolean changeLease(Client c, StoredLease current, Lease lease) throws Exception {
    Version was = current == null ? Version.NONE : current.version();
    long nonce = random.nextLong();
    RowBinaryOutput out = new RowBinaryOutput(128);
    out.string(lease.name());
    out.string(lease.owner());
    out.int64(lease.token());
    out.int64(lease.expiresUnixNanos());
    out.int64(nonce);
    out.int64(nextSeq(was));
    access.insertOnce(
        c,
        schema.table(Schema.RETENTION_LEASES),
        LEASE_COLUMNS,
        out,
        "lease:" + lease.name() + ":" + was.seq());
    StoredLease after = readLease(c, lease.name());
    return after != null && after.version().nonce() == nonce;
  }

  Uni<Optional<Lease>> acquireLease(String name, String owner, long now, long ttl) {
    return access.run(
        "acquire a lease",
        c -> {
          StoredLease current = readLease(c, name);
          Optional<Lease> granted =
              Lease.grant(current == null ? null : current.lease(), name, owner, now, ttl);
          if (granted.isEmpty() || !changeLease(c, current, granted.get())) {
            return Optional.<Lease>empty();
          }
          return granted;
        });
  }

  Uni<Boolean> renewLease(Lease lease, long now, long ttl) {
    return access.run(
        "renew a lease",
        c -> {
          StoredLease current = readLease(c, lease.name());
          if (current == null || !lease.isHeldAs(current.lease())) {
            return false;
          }
          return changeLease(c, current, lease.renewed(now, ttl));
        });
  }

  Uni<Void> releaseLease(Lease lease) {
    return access.run(
        "release a lease",
        c -> {
          StoredLease current = readLease(c, lease.name());
          if (current != null && lease.isHeldAs(current.lease())) {
            changeLease(c, current, lease.released());
          }
          return null;
        });
  }

  Uni<Optional<Lease>> lease(String name) {
    return access.run(
        "read a lease",
        c -> {
          StoredLease current = readLease(c, name);
          return Optional.ofNullable(current == null ? null : current.lease());
        });
  }

  // ------------------------------------------------------------------ runs

  private static final String RUN_SELECT =
      "SELECT id, policy_id, trigger, owner, status, plan, scheduled_for, fingerprint, started,"
          + " finished, error, tasks, seq FROM ";

  private record StoredRun(RetentionRun run, long seq) {}

  private static List<StoredRun> readRuns(RowBinaryInput in) {
    List<StoredRun> out = new ArrayList<>();
    while (in.hasMore()) {
      RetentionRun run =
          new RetentionRun(
              in.string(),
              in.string(),
              in.string(),
              in.string(),
              RunStatus.valueOf(in.string()),
              in.int64(),
              in.int64(),
              in.string(),
              in.int64(),
              in.int64(),
              in.string(),
              decodeTasks(in.bytes()));
      out.add(new StoredRun(run, in.int64()));
    }
    return out;
  }

  private StoredRun readRun(Client c, String id) throws Exception {
    List<StoredRun> found =
        access.queryBlocking(
            c,
            RUN_SELECT + schema.table(Schema.RETENTION_RUNS) + " FINAL WHERE id = {id:String}",
            Map.of("id", id),
            RetentionBook::readRuns);
    return found.isEmpty() ? null : found.getFirst();
  }

  private void writeRun(Client c, RetentionRun run, long previousSeq) throws Exception {
    RowBinaryOutput out = new RowBinaryOutput(512);
    out.string(run.id());
    out.string(run.policyId());
    out.string(run.trigger());
    out.string(run.owner());
    out.string(run.status().name());
    out.int64(run.planUnixNanos());
    out.int64(run.scheduledForUnixNanos());
    out.string(run.planFingerprint());
    out.int64(run.startedUnixNanos());
    out.int64(run.finishedUnixNanos());
    out.string(run.error());
    out.bytes(encodeTasks(run.tasks()));
    out.int64(Math.max(clock.next(1), previousSeq + 1));
    access.insertBlocking(c, schema.table(Schema.RETENTION_RUNS), RUN_COLUMNS, out);
  }

  Uni<Void> saveRun(RetentionRun run) {
    return access.run(
        "save a retention run",
        c -> {
          StoredRun current = readRun(c, run.id());
          writeRun(c, run, current == null ? 0 : current.seq());
          return null;
        });
  }

  Uni<Void> saveTask(String runId, RetentionTask task) {
    return access.run(
        "save a retention task",
        c -> {
          StoredRun current = readRun(c, runId);
          if (current == null) {
            throw new StorageException(
                StorageException.Code.INVALID_ARGUMENT, "no retention run " + runId);
          }
          writeRun(c, current.run().withTask(task), current.seq());
          return null;
        });
  }

  Uni<List<RetentionRun>> runs(String policyId, int limit) {
    String where = policyId == null ? "" : " WHERE policy_id = {policy:String}";
    return access.query(
        "read retention runs",
        RUN_SELECT
            + schema.table(Schema.RETENTION_RUNS)
            + " FINAL"
            + where
            + " ORDER BY started DESC, id DESC LIMIT {limit:UInt32}",
        policyId == null
            ? Map.of("limit", Math.max(limit, 0))
            : Map.of("limit", Math.max(limit, 0), "policy", policyId),
        in -> readRuns(in).stream().map(StoredRun::run).toList());
  }

  Uni<Integer> pruneRuns(int keep) {
    return access.run(
        "prune retention runs",
        c -> {
          List<String> finished =
              access.queryBlocking(
                  c,
                  "SELECT id FROM "
                      + schema.table(Schema.RETENTION_RUNS)
                      + " FINAL WHERE status != 'RUNNING' ORDER BY started DESC, id DESC",
                  Map.of(),
                  in -> {
                    List<String> ids = new ArrayList<>();
                    while (in.hasMore()) {
                      ids.add(in.string());
                    }
                    return ids;
                  });
          List<String> old =
              finished.subList(Math.min(Math.max(keep, 0), finished.size()), finished.size());
          if (!old.isEmpty()) {
            access.everyNodeBlocking(
                c,
                "DELETE FROM "
                    + schema.local(Schema.RETENTION_RUNS)
                    + schema.onCluster()
                    + " WHERE id IN {ids:Array(String)}",
                Map.of("ids", List.copyOf(old)));
          }
          return old.size();
        });
  }

  private static byte[] encodeTasks(List<RetentionTask> tasks) {
    RowBinaryOutput out = new RowBinaryOutput(64 * (tasks.size() + 1));
    out.varint(tasks.size());
    for (RetentionTask t : tasks) {
      out.string(t.tenant());
      out.string(t.signal().jsonName());
      out.string(t.kind().name());
      out.string(t.state().name());
      out.int64(t.cutoffUnixNanos());
      out.int64(t.rows());
      out.int64(t.bytes());
      out.string(t.note());
    }
    return out.toByteArray();
  }

  private static List<RetentionTask> decodeTasks(byte[] bytes) {
    RowBinaryInput in = new RowBinaryInput(bytes);
    int n = Math.toIntExact(in.varint());
    List<RetentionTask> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String tenant = in.string();
      String signal = in.string();
      tasks.add(
          new RetentionTask(
              tenant,
              RetentionSignal.ofJsonName(signal)
                  .orElseThrow(() -> Codes.corrupt("retention signal " + signal, 0)),
              RetentionTask.Kind.valueOf(in.string()),
              RetentionTask.State.valueOf(in.string()),
              in.int64(),
              in.int64(),
              in.int64(),
              in.string()));
    }
    return tasks;
  }
}
