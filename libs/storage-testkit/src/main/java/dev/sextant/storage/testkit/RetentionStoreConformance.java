package dev.sextant.storage.testkit;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.retention.Lease;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionStore;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.retention.RunStatus;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What retention keeps in the store — policies with optimistic versions, runs with their tasks,
 * leases with expiry and fencing tokens — and that it survives a restart as {@code persistent}
 * says.
 */
public abstract class RetentionStoreConformance extends StorageConformance {
  private static final long TTL = seconds(30);

  private RetentionStore retention() {
    return storage().retention();
  }

  static RetentionPolicy policy(String id, String tenant, RetentionSignal signal, long version) {
    return new RetentionPolicy(
        id,
        tenant,
        signal,
        new RetentionSelector("checkout", "prod", "agent", "support-bot"),
        Duration.ofDays(7),
        1L << 30,
        "0 7 * * * ?",
        true,
        version,
        T0 + version);
  }

  @Test
  void aPolicyIsStoredWithEveryFieldAndVersionsGuardChanges() {
    RetentionPolicy v1 = policy("p1", TENANT, RetentionSignal.SPANS, 1);
    assertThat(await(retention().savePolicy(v1))).isTrue();
    assertThat(await(retention().savePolicy(v1))).as("version 1 exists already").isFalse();
    assertThat(await(retention().policies())).containsExactly(v1);

    RetentionPolicy v2 =
        new RetentionPolicy(
            "p1",
            TENANT,
            RetentionSignal.SPANS,
            RetentionSelector.ANY,
            Duration.ofHours(36),
            0,
            "0 0/15 * * * ?",
            false,
            2,
            T0 + 2);
    assertThat(await(retention().savePolicy(policy("p1", TENANT, RetentionSignal.SPANS, 3))))
        .as("skips a version")
        .isFalse();
    assertThat(await(retention().savePolicy(v2))).isTrue();
    assertThat(await(retention().policies())).containsExactly(v2);

    assertThat(await(retention().deletePolicy("p1", 1))).as("stale version").isFalse();
    assertThat(await(retention().deletePolicy("nope", 1))).isFalse();
    assertThat(await(retention().deletePolicy("p1", 2))).isTrue();
    assertThat(await(retention().policies())).isEmpty();
  }

  @Test
  void policiesOfEveryTenantAndSignalAreListedById() {
    RetentionPolicy b = policy("b", RetentionPolicy.ALL_TENANTS, RetentionSignal.LOGS, 1);
    RetentionPolicy a = policy("a", "globex", RetentionSignal.METRIC_ROLLUPS_1H, 1);
    RetentionPolicy c = policy("c", TENANT, RetentionSignal.FEEDBACK, 1);
    for (RetentionPolicy p : List.of(b, c, a)) {
      assertThat(await(retention().savePolicy(p))).isTrue();
    }
    assertThat(await(retention().policies())).containsExactly(a, b, c);
  }

  static RetentionRun run(String id, String policyId, RunStatus status, long started) {
    return new RetentionRun(
        id,
        policyId,
        "schedule",
        "instance-1",
        status,
        started,
        started - 5,
        "fingerprint",
        started,
        status == RunStatus.RUNNING ? 0 : started + 10,
        status == RunStatus.FAILED ? "logs: locked" : "",
        List.of(
            new RetentionTask(
                TENANT,
                RetentionSignal.SPANS,
                RetentionTask.Kind.AGE,
                RetentionTask.State.PENDING,
                started - 100,
                0,
                0,
                ""),
            new RetentionTask(
                TENANT,
                RetentionSignal.SPANS,
                RetentionTask.Kind.SIZE,
                RetentionTask.State.PENDING,
                0,
                0,
                0,
                "")));
  }

  @Test
  void runsAreStoredWithTheirTasksAndListedNewestFirst() {
    RetentionRun first = run("r1", "p1", RunStatus.SUCCEEDED, T0);
    RetentionRun second = run("r2", "p2", RunStatus.FAILED, T0 + 100);
    RetentionRun third = run("r3", "p1", RunStatus.RUNNING, T0 + 200);
    await(retention().saveRun(first));
    await(retention().saveRun(second));
    await(retention().saveRun(third));

    assertThat(await(retention().runs(null, 10))).containsExactly(third, second, first);
    assertThat(await(retention().runs(null, 2))).containsExactly(third, second);
    assertThat(await(retention().runs("p1", 10))).containsExactly(third, first);

    RetentionTask done =
        new RetentionTask(
            TENANT,
            RetentionSignal.SPANS,
            RetentionTask.Kind.AGE,
            RetentionTask.State.DONE,
            T0 - 100,
            1234,
            56789,
            "limited by rollups");
    await(retention().saveTask("r3", done));
    RetentionRun stored = await(retention().runs("p1", 1)).getFirst();
    assertThat(stored.tasks())
        .as("a task keeps its place in its run")
        .containsExactly(done, third.tasks().get(1));

    RetentionRun finished =
        new RetentionRun(
            "r3",
            "p1",
            "schedule",
            "instance-2",
            RunStatus.SUCCEEDED,
            T0 + 200,
            T0 + 195,
            "fingerprint",
            T0 + 200,
            T0 + 300,
            "",
            List.of(done));
    await(retention().saveRun(finished));
    assertThat(await(retention().runs("p1", 1))).containsExactly(finished);
  }

  @Test
  void pruningKeepsTheNewestFinishedRunsAndEveryRunningOne() {
    RetentionRun running = run("old-but-running", "p1", RunStatus.RUNNING, T0);
    await(retention().saveRun(running));
    for (int i = 1; i <= 5; i++) {
      await(retention().saveRun(run("r" + i, "p1", RunStatus.SUCCEEDED, T0 + i)));
    }
    assertThat(await(retention().pruneRuns(2))).isEqualTo(3);
    assertThat(await(retention().runs(null, 10)).stream().map(RetentionRun::id))
        .containsExactly("r5", "r4", "old-but-running");
  }

  @Test
  void aLeaseHasOneOwnerUntilItExpires() {
    Lease first = await(retention().acquireLease("policy:p1", "a", T0, TTL)).orElseThrow();
    assertThat(first).isEqualTo(new Lease("policy:p1", "a", first.token(), T0 + TTL));

    assertThat(await(retention().acquireLease("policy:p1", "b", T0 + TTL - 1, TTL)))
        .as("held by a until it expires")
        .isEmpty();
    assertThat(await(retention().acquireLease("policy:p2", "b", T0, TTL)))
        .as("another name is another lease")
        .isPresent();

    Lease again = await(retention().acquireLease("policy:p1", "a", T0 + 10, TTL)).orElseThrow();
    assertThat(again.token()).as("the owner renews, same token").isEqualTo(first.token());
    assertThat(again.expiresUnixNanos()).isEqualTo(T0 + 10 + TTL);
    assertThat(await(retention().renewLease(first, T0 + 20, TTL))).isTrue();

    Lease taken =
        await(retention().acquireLease("policy:p1", "b", T0 + 20 + TTL, TTL)).orElseThrow();
    assertThat(taken.owner()).isEqualTo("b");
    assertThat(taken.token()).as("a new owner gets a new token").isGreaterThan(first.token());
    assertThat(await(retention().renewLease(first, T0 + 21 + TTL, TTL)))
        .as("fenced: a lost its lease")
        .isFalse();
    await(retention().releaseLease(first));
    assertThat(await(retention().lease("policy:p1"))).contains(taken);

    await(retention().releaseLease(taken));
    Lease afterRelease =
        await(retention().acquireLease("policy:p1", "a", T0 + 22 + TTL, TTL)).orElseThrow();
    assertThat(afterRelease.token()).isGreaterThan(taken.token());
    assertThat(await(retention().lease("unknown"))).isEqualTo(Optional.empty());
  }

  @Test
  void policiesRunsAndLeasesSurviveARestartAsPersistenceSays() {
    RetentionPolicy p = policy("p1", TENANT, RetentionSignal.LOGS, 1);
    RetentionRun r = run("r1", "p1", RunStatus.SUCCEEDED, T0);
    await(retention().savePolicy(p));
    await(retention().saveRun(r));
    Lease lease = await(retention().acquireLease("policy:p1", "a", T0, TTL)).orElseThrow();
    boolean persistent = storage().capabilities().persistent();

    closeAndReopen();

    if (persistent) {
      assertThat(await(retention().policies())).containsExactly(p);
      assertThat(await(retention().runs(null, 10))).containsExactly(r);
      assertThat(await(retention().lease("policy:p1"))).contains(lease);
    } else {
      assertThat(await(retention().policies())).isEmpty();
      assertThat(await(retention().runs(null, 10))).isEmpty();
      assertThat(await(retention().lease("policy:p1"))).isEmpty();
    }
  }

  @Test
  void signalsTheBackendDoesNotStoreAreRefusedByName() {
    Set<RetentionSignal> missing = EnumSet.allOf(RetentionSignal.class);
    missing.removeAll(retention().signals());
    for (RetentionSignal signal : missing) {
      StorageException refused =
          failureOf(retention().deleteBefore(RowSet.all(signal, TENANT), T0, 100));
      assertThat(refused.code()).isEqualTo(StorageException.Code.INVALID_ARGUMENT);
      assertThat(refused.getMessage()).contains(signal.jsonName());
      assertThat(failureOf(retention().tenants(signal)).code())
          .isEqualTo(StorageException.Code.INVALID_ARGUMENT);
    }
  }
}
