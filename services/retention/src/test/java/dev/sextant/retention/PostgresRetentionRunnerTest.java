package dev.sextant.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.sextant.model.SpanPayload;
import dev.sextant.storage.postgres.PostgresStorage;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RunStatus;
import dev.sextant.storage.testkit.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs on PostgreSQL, which offers span payloads and Mastra metric events to retention per tenant
 * (where SQLite and memory delete them for every tenant at once, and skip a tenant's own policy): a
 * tenant's own policy of them applies to that tenant, the policy of every tenant to the others,
 * task by task as for spans.
 */
class PostgresRetentionRunnerTest {
  private static final Instant NOW = FakeClock.START;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SCHEMA = "retention_runner";

  private final FakeClock clock = new FakeClock();
  private final RetentionMetrics metrics = new RetentionMetrics(new SimpleMeterRegistry());
  private PostgresStorage storage;
  private RetentionRunner runner;

  @BeforeEach
  void start() {
    TestPostgres postgres = TestPostgres.shared();
    postgres.superuserSql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    storage = PostgresStorage.builder().url(postgres.url()).schema(SCHEMA).build();
    storage.start();
    runner = new RetentionRunner(storage, clock, TestConfig.of("pod-1"), metrics);
  }

  @AfterEach
  void stop() {
    runner.close();
    storage.close();
  }

  private void save(String id, String tenant, RetentionSignal signal, Duration maxAge) {
    RetentionPolicy policy =
        new RetentionPolicy(
            id,
            tenant,
            signal,
            RetentionSelector.ANY,
            maxAge,
            0,
            "0 7 * * * ?",
            true,
            1,
            UnixNanos.of(NOW));
    assertThat(storage.retention().savePolicy(policy).await().atMost(WAIT)).isTrue();
  }

  private RetentionRun run(String policyId) {
    RetentionRunner.Triggered triggered =
        runner.trigger(policyId, RunTrigger.MANUAL, null).await().atMost(WAIT);
    assertThat(triggered).isInstanceOf(RetentionRunner.Started.class);
    return ((RetentionRunner.Started) triggered).finished().await().atMost(WAIT);
  }

  private void event(String tenant, String id, Instant at) {
    TestEvents.write(storage, tenant, id, at);
  }

  private List<String> eventsOf(String tenant) {
    return TestEvents.idsOf(storage, tenant);
  }

  @Test
  void aTenantsOwnPolicyOfMetricEventsAppliesToItAndTheGeneralOneToTheOthers() {
    save("events", RetentionPolicy.ALL_TENANTS, RetentionSignal.METRIC_EVENTS, Duration.ofDays(30));
    save("acme-events", "acme", RetentionSignal.METRIC_EVENTS, Duration.ofDays(1));
    event("acme", "forty-days", NOW.minus(Duration.ofDays(40)));
    event("acme", "two-days", NOW.minus(Duration.ofDays(2)));
    event("acme", "fresh", NOW.minus(Duration.ofHours(1)));
    event("globex", "forty-days", NOW.minus(Duration.ofDays(40)));
    event("globex", "two-days", NOW.minus(Duration.ofDays(2)));

    RetentionRun own = run("acme-events");
    RetentionRun general = run("events");

    assertThat(own.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(own.tasks())
        .extracting(RetentionTask::tenant, RetentionTask::state, RetentionTask::rows)
        .containsExactly(tuple("acme", RetentionTask.State.DONE, 2L));
    assertThat(general.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(general.tasks())
        .extracting(RetentionTask::tenant, RetentionTask::state, RetentionTask::rows)
        // acme's rows are all its own policy's: its task of the general policy finds none.
        .containsExactly(
            tuple("acme", RetentionTask.State.DONE, 0L),
            tuple("globex", RetentionTask.State.DONE, 1L));
    assertThat(eventsOf("acme")).containsExactly("fresh");
    assertThat(eventsOf("globex")).containsExactly("two-days");
  }

  @Test
  void spanPayloadsAgeTenantByTenant() {
    save(
        "payloads", RetentionPolicy.ALL_TENANTS, RetentionSignal.SPAN_PAYLOADS, Duration.ofDays(7));
    Instant cutoff = NOW.minus(Duration.ofDays(7));
    storage
        .payloads()
        .write(
            List.of(
                payload("acme", 1, cutoff.minusNanos(1)),
                payload("acme", 2, cutoff),
                payload("globex", 3, cutoff.minus(Duration.ofDays(3)))))
        .await()
        .atMost(WAIT);

    RetentionRun run = run("payloads");

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.tasks())
        .extracting(RetentionTask::tenant, RetentionTask::rows, RetentionTask::cutoffUnixNanos)
        .containsExactly(
            tuple("acme", 1L, UnixNanos.of(cutoff)), tuple("globex", 1L, UnixNanos.of(cutoff)));
    assertThat(run.tasks()).allSatisfy(t -> assertThat(t.bytes()).isPositive());
    assertThat(payloadsOf("acme", 1)).isEmpty();
    assertThat(payloadsOf("acme", 2)).hasSize(1);
    assertThat(payloadsOf("globex", 3)).isEmpty();
  }

  private static SpanPayload payload(String tenant, int n, Instant start) {
    return new SpanPayload(
        tenant,
        String.format("%032x", n),
        String.format("%016x", n),
        UnixNanos.of(start),
        "question " + n,
        "answer " + n,
        false);
  }

  private List<SpanPayload> payloadsOf(String tenant, int n) {
    return storage.payloads().trace(tenant, String.format("%032x", n)).await().atMost(WAIT);
  }
}
