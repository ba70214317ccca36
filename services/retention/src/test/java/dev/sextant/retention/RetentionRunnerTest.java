package dev.sextant.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.LogRecord;
import dev.sextant.model.Span;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RunStatus;
import dev.sextant.storage.testkit.LogBuilder;
import dev.sextant.storage.testkit.SpanBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs of policies on the in-memory store with a clock the test sets: the age boundary, tenants,
 * narrowed policies, changed policies, size caps, the lease between two instances and a run resumed
 * after its instance died.
 */
class RetentionRunnerTest {
  private static final Instant NOW = FakeClock.START;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final FakeClock clock = new FakeClock();
  private final GatedStorage storage = new GatedStorage();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RetentionMetrics metrics = new RetentionMetrics(registry);
  private final List<RetentionRunner> runners = new ArrayList<>();
  private int spans;

  @AfterEach
  void close() {
    runners.forEach(RetentionRunner::close);
    storage.close();
  }

  private RetentionRunner runner(TestConfig config) {
    RetentionRunner runner = new RetentionRunner(storage, clock, config, metrics);
    runners.add(runner);
    return runner;
  }

  private RetentionRunner runner(String instance) {
    return runner(TestConfig.of(instance));
  }

  private static long nanos(Instant instant) {
    return UnixNanos.of(instant);
  }

  private RetentionPolicy save(
      String id,
      String tenant,
      RetentionSignal signal,
      RetentionSelector selector,
      Duration maxAge,
      long maxBytes) {
    RetentionPolicy policy =
        new RetentionPolicy(
            id, tenant, signal, selector, maxAge, maxBytes, "0 7 * * * ?", true, 1, nanos(NOW));
    assertThat(storage.retention().savePolicy(policy).await().atMost(WAIT)).isTrue();
    return policy;
  }

  private RetentionPolicy save(String id, String tenant, RetentionSignal signal, Duration maxAge) {
    return save(id, tenant, signal, RetentionSelector.ANY, maxAge, 0);
  }

  private void span(String tenant, Instant start, String service) {
    spans++;
    Span span =
        SpanBuilder.span(tenant, String.format("%032x", spans), String.format("%016x", spans))
            .start(nanos(start))
            .service(service)
            .build();
    storage.spans().write(List.of(span)).await().atMost(WAIT);
  }

  private List<Span> spansOf(String tenant) {
    List<Span> all = new ArrayList<>();
    for (int n = 1; n <= spans; n++) {
      all.addAll(storage.spans().trace(tenant, String.format("%032x", n)).await().atMost(WAIT));
    }
    return all;
  }

  private static RetentionRun finish(RetentionRunner.Triggered triggered) {
    assertThat(triggered).isInstanceOf(RetentionRunner.Started.class);
    return ((RetentionRunner.Started) triggered).finished().await().atMost(WAIT);
  }

  private RetentionRun run(RetentionRunner runner, String policyId) {
    return finish(runner.trigger(policyId, RunTrigger.MANUAL, null).await().atMost(WAIT));
  }

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void nothingAtOrAfterTheCutoffGoesAndEverythingBeforeItDoes() {
    save("spans", RetentionPolicy.ALL_TENANTS, RetentionSignal.SPANS, Duration.ofDays(7));
    Instant cutoff = NOW.minus(Duration.ofDays(7));
    span("acme", cutoff.minusNanos(1), "api");
    span("acme", cutoff, "api");
    span("acme", cutoff.plusNanos(1), "api");
    span("globex", cutoff.minusNanos(1), "api");

    RetentionRun run = run(runner("one"), "spans");

    assertThat(spansOf("acme").stream().map(s -> s.startTimeUnixNanos()))
        .containsExactlyInAnyOrder(nanos(cutoff), nanos(cutoff) + 1);
    assertThat(spansOf("globex")).isEmpty();
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.tasks())
        .extracting(RetentionTask::tenant, RetentionTask::rows, RetentionTask::cutoffUnixNanos)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("acme", 1L, nanos(cutoff)),
            org.assertj.core.groups.Tuple.tuple("globex", 1L, nanos(cutoff)));
    assertThat(run.tasks()).allSatisfy(t -> assertThat(t.bytes()).isPositive());
    assertThat(storage.retention().runs("spans", 10).await().atMost(WAIT)).containsExactly(run);
    assertThat(count("sextant.retention.rows.deleted", "signal", "spans")).isEqualTo(2);
    assertThat(count("sextant.retention.runs", "trigger", "manual", "outcome", "succeeded"))
        .isEqualTo(1);
  }

  @Test
  void aTenantsOwnPolicyWinsAndTouchesNoOtherTenant() {
    save("all", RetentionPolicy.ALL_TENANTS, RetentionSignal.SPANS, Duration.ofDays(7));
    save("acme", "acme", RetentionSignal.SPANS, Duration.ofDays(1));
    span("acme", NOW.minus(Duration.ofDays(3)), "api");
    span("globex", NOW.minus(Duration.ofDays(3)), "api");
    span("acme", NOW.minus(Duration.ofDays(8)), "api");
    RetentionRunner runner = runner("one");

    RetentionRun global = run(runner, "all");
    assertThat(global.tasks()).extracting(RetentionTask::tenant).containsExactly("acme", "globex");
    assertThat(global.tasks()).allSatisfy(t -> assertThat(t.rows()).isZero());
    assertThat(spansOf("acme")).as("acme's own 1-day policy governs acme").hasSize(2);

    RetentionRun own = run(runner, "acme");
    assertThat(own.tasks()).singleElement().satisfies(t -> assertThat(t.rows()).isEqualTo(2));
    assertThat(spansOf("acme")).isEmpty();
    assertThat(spansOf("globex")).hasSize(1);
  }

  @Test
  void aNarrowedPolicyGovernsItsRowsAndTheRestFollowTheBroaderOne() {
    save("acme", "acme", RetentionSignal.SPANS, Duration.ofDays(7));
    save(
        "checkout",
        "acme",
        RetentionSignal.SPANS,
        new RetentionSelector("checkout", null, null, null),
        Duration.ofDays(30),
        0);
    span("acme", NOW.minus(Duration.ofDays(10)), "checkout");
    span("acme", NOW.minus(Duration.ofDays(10)), "search");
    span("acme", NOW.minus(Duration.ofDays(40)), "checkout");
    RetentionRunner runner = runner("one");

    run(runner, "acme");
    assertThat(spansOf("acme").stream().map(Span::serviceName))
        .containsExactlyInAnyOrder("checkout", "checkout");
    run(runner, "checkout");
    assertThat(spansOf("acme"))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.startTimeUnixNanos())
                    .isEqualTo(nanos(NOW.minus(Duration.ofDays(10)))));
  }

  @Test
  void aShorterMaxAgeAppliesToDataStoredBeforeTheChange() {
    RetentionPolicy policy =
        save("all", RetentionPolicy.ALL_TENANTS, RetentionSignal.SPANS, Duration.ofDays(7));
    span("acme", NOW.minus(Duration.ofDays(2)), "api");
    span("acme", NOW.minus(Duration.ofDays(5)), "api");
    span("acme", NOW.minus(Duration.ofDays(10)), "api");
    RetentionRunner runner = runner("one");
    run(runner, "all");
    assertThat(spansOf("acme")).hasSize(2);

    RetentionPolicy shorter =
        new RetentionPolicy(
            "all",
            RetentionPolicy.ALL_TENANTS,
            RetentionSignal.SPANS,
            RetentionSelector.ANY,
            Duration.ofDays(3),
            0,
            policy.schedule(),
            true,
            2,
            nanos(NOW));
    assertThat(storage.retention().savePolicy(shorter).await().atMost(WAIT)).isTrue();
    clock.set(NOW.plusSeconds(60));
    run(runner, "all");

    assertThat(spansOf("acme"))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.startTimeUnixNanos()).isEqualTo(nanos(NOW.minus(Duration.ofDays(2)))));
  }

  @Test
  void aSizeCapDeletesTheOldestUntilTheRowsFitAndSaysSo() {
    List<LogRecord> logs = new ArrayList<>();
    for (int hour = 0; hour < 48; hour++) {
      for (int i = 0; i < 10; i++) {
        logs.add(
            LogBuilder.log("acme", nanos(NOW.minus(Duration.ofHours(hour + 1))) + i)
                .service("api")
                .body("x".repeat(952))
                .build());
      }
    }
    storage.logs().write(logs).await().atMost(WAIT);
    long perHour =
        storage
            .retention()
            .histogram(
                dev.sextant.storage.retention.RowSet.all(RetentionSignal.LOGS, "acme"),
                Long.MAX_VALUE,
                RetentionRunner.SIZE_BUCKET_NANOS)
            .await()
            .atMost(WAIT)
            .getLast()
            .bytes();
    save(
        "logs",
        "acme",
        RetentionSignal.LOGS,
        RetentionSelector.ANY,
        Duration.ofDays(30),
        20 * perHour);

    RetentionRun run = run(runner("one"), "logs");

    List<LogRecord> left =
        storage.logs().search(LogQuery.all("acme", LogQuery.MAX_LIMIT)).await().atMost(WAIT);
    assertThat(left).as("the newest 18 hours: 90% of a 20-hour cap").hasSize(18 * 10);
    assertThat(left.getLast().timeUnixNanos())
        .isGreaterThanOrEqualTo(nanos(NOW.minus(Duration.ofHours(18))));
    assertThat(run.tasks())
        .filteredOn(t -> t.kind() == RetentionTask.Kind.SIZE)
        .singleElement()
        .satisfies(t -> assertThat(t.rows()).isEqualTo(30 * 10));
    assertThat(
            registry
                .get("sextant.retention.size.cap.exceeded")
                .tags("policy", "logs")
                .gauge()
                .value())
        .isEqualTo(1);
    assertThat(count("sextant.retention.size.cap.rows.deleted", "signal", "logs")).isEqualTo(300);

    run(runner("two"), "logs");
    assertThat(
            registry
                .get("sextant.retention.size.cap.exceeded")
                .tags("policy", "logs")
                .gauge()
                .value())
        .as("under the cap again")
        .isZero();
  }

  @Test
  void oneInstanceRunsAPolicyAtATimeAndTheOtherSeesWhoHoldsIt() throws Exception {
    save("all", RetentionPolicy.ALL_TENANTS, RetentionSignal.SPANS, Duration.ofDays(7));
    span("acme", NOW.minus(Duration.ofDays(8)), "api");
    RetentionRunner first = runner("first");
    RetentionRunner second = runner("second");
    storage.hold("acme");

    RetentionRunner.Triggered started =
        first.trigger("all", RunTrigger.SCHEDULE, null).await().atMost(WAIT);
    storage.arrival("acme").get(30, TimeUnit.SECONDS);
    RetentionRunner.Triggered refused =
        second.trigger("all", RunTrigger.SCHEDULE, null).await().atMost(WAIT);
    RetentionRunner.Triggered refusedHere =
        first.trigger("all", RunTrigger.MANUAL, null).await().atMost(WAIT);

    assertThat(refused)
        .isInstanceOfSatisfying(
            RetentionRunner.Busy.class,
            busy -> {
              assertThat(busy.holder()).isEqualTo("first");
              assertThat(busy.running()).map(RetentionRun::status).contains(RunStatus.RUNNING);
            });
    assertThat(refusedHere).isInstanceOf(RetentionRunner.Busy.class);
    assertThat(count("sextant.retention.runs", "trigger", "schedule", "outcome", "skipped"))
        .isEqualTo(1);
    storage.release("acme");
    assertThat(finish(started).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(finish(second.trigger("all", RunTrigger.MANUAL, null).await().atMost(WAIT)).owner())
        .as("free again once the first finished")
        .isEqualTo("second");
  }

  @Test
  void aScheduleFiringIsServedOnceHoweverManyInstancesFire() {
    save("all", RetentionPolicy.ALL_TENANTS, RetentionSignal.SPANS, Duration.ofDays(7));
    Instant firing = NOW.minusSeconds(3);
    RetentionRun served =
        finish(runner("first").trigger("all", RunTrigger.SCHEDULE, firing).await().atMost(WAIT));
    assertThat(served.scheduledForUnixNanos()).isEqualTo(nanos(firing));

    RetentionRunner.Triggered late =
        runner("second").trigger("all", RunTrigger.SCHEDULE, firing).await().atMost(WAIT);

    assertThat(late).isInstanceOf(RetentionRunner.Skipped.class);
    assertThat(
            runner("second")
                .trigger("all", RunTrigger.SCHEDULE, firing.plusSeconds(3600))
                .await()
                .atMost(WAIT))
        .as("the next firing runs")
        .isInstanceOf(RetentionRunner.Started.class);
  }

  @Test
  void aRunWhoseInstanceDiedIsResumedWithoutRedoingWhatItFinished() throws Exception {
    save("all", RetentionPolicy.ALL_TENANTS, RetentionSignal.SPANS, Duration.ofDays(7));
    Instant cutoff = NOW.minus(Duration.ofDays(7));
    span("acme", cutoff.minusSeconds(1), "api");
    span("globex", cutoff.minusSeconds(1), "api");
    span("globex", cutoff, "api");
    RetentionRunner dying = runner("dying");
    storage.hold("globex");

    RetentionRunner.Triggered stalled =
        dying.trigger("all", RunTrigger.SCHEDULE, null).await().atMost(WAIT);
    storage.arrival("globex").get(30, TimeUnit.SECONDS);
    assertThat(storage.deletesOf("acme")).isEqualTo(1);
    RetentionRun recorded = storage.retention().runs("all", 1).await().atMost(WAIT).getFirst();
    assertThat(recorded.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(recorded.tasks())
        .extracting(RetentionTask::tenant, RetentionTask::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("acme", RetentionTask.State.DONE),
            org.assertj.core.groups.Tuple.tuple("globex", RetentionTask.State.PENDING));

    // The process froze past its lease; a day later another instance takes over.
    clock.set(NOW.plus(Duration.ofDays(1)));
    RetentionRunner rescuer = runner("rescuer");
    RetentionRun resumed =
        finish(rescuer.trigger("all", RunTrigger.RESUME, null).await().atMost(WAIT));

    assertThat(resumed.id()).isEqualTo(recorded.id());
    assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(resumed.owner()).isEqualTo("rescuer");
    assertThat(resumed.planUnixNanos()).as("the cutoffs of the plan").isEqualTo(nanos(NOW));
    assertThat(storage.deletesOf("acme")).as("finished work is not done again").isEqualTo(1);
    assertThat(spansOf("globex").stream().map(Span::startTimeUnixNanos))
        .as("nothing newer than the original cutoff, though the clock moved a day")
        .containsExactly(nanos(cutoff));
    assertThat(resumed.tasks()).extracting(RetentionTask::rows).containsExactly(1L, 1L);
    assertThat(count("sextant.retention.runs.resumed")).isEqualTo(1);

    // The frozen instance wakes up: its step goes through (nothing is left before its cutoff), but
    // it lost the lease and stops without writing over the run the rescuer finished.
    storage.release("globex");
    RetentionRun woke = ((RetentionRunner.Started) stalled).finished().await().atMost(WAIT);
    assertThat(woke.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(woke.error()).contains("rescuer");
    assertThat(storage.retention().runs("all", 1).await().atMost(WAIT)).containsExactly(resumed);
  }

  @Test
  void aRunIsNotResumedOnceItsPoliciesChanged() throws Exception {
    RetentionPolicy policy =
        save("all", RetentionPolicy.ALL_TENANTS, RetentionSignal.SPANS, Duration.ofDays(7));
    span("acme", NOW.minus(Duration.ofDays(8)), "api");
    storage.hold("acme");
    RetentionRunner.Triggered stalled =
        runner("dying").trigger("all", RunTrigger.MANUAL, null).await().atMost(WAIT);
    storage.arrival("acme").get(30, TimeUnit.SECONDS);
    storage
        .retention()
        .savePolicy(
            new RetentionPolicy(
                "all",
                RetentionPolicy.ALL_TENANTS,
                RetentionSignal.SPANS,
                RetentionSelector.ANY,
                Duration.ofDays(30),
                0,
                policy.schedule(),
                true,
                2,
                nanos(NOW)))
        .await()
        .atMost(WAIT);
    clock.set(NOW.plus(Duration.ofHours(1)));

    RetentionRun fresh =
        finish(runner("rescuer").trigger("all", RunTrigger.RESUME, null).await().atMost(WAIT));

    List<RetentionRun> history = storage.retention().runs("all", 10).await().atMost(WAIT);
    assertThat(history).hasSize(2);
    assertThat(history.get(1).status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(fresh.planUnixNanos()).isEqualTo(nanos(NOW.plus(Duration.ofHours(1))));
    assertThat(spansOf("acme")).as("30 days now: the 8-day-old span stays").hasSize(1);
    storage.release("acme");
    assertThat(((RetentionRunner.Started) stalled).finished().await().atMost(WAIT).status())
        .isEqualTo(RunStatus.INTERRUPTED);
  }

  @Test
  void aFailingTenantIsRecordedAndTheOthersAreStillCleaned() {
    save("all", RetentionPolicy.ALL_TENANTS, RetentionSignal.SPANS, Duration.ofDays(7));
    span("acme", NOW.minus(Duration.ofDays(8)), "api");
    span("globex", NOW.minus(Duration.ofDays(8)), "api");
    storage.failDeletes(
        "acme",
        rows -> new StorageException(StorageException.Code.UNAVAILABLE, "spans.db is locked"));

    RetentionRun run = run(runner("one"), "all");

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error()).isEqualTo("spans of acme: spans.db is locked");
    assertThat(spansOf("globex")).isEmpty();
    assertThat(count("sextant.retention.runs", "trigger", "manual", "outcome", "failed"))
        .isEqualTo(1);
  }

  private void event(String tenant, String id, Instant at) {
    TestEvents.write(storage, tenant, id, at);
  }

  private List<String> eventsOf(String tenant) {
    return TestEvents.idsOf(storage, tenant);
  }

  @Test
  void aSignalWithoutARetentionSurfaceIsDeletedForEveryTenantAtItsBoundary() {
    save("events", RetentionPolicy.ALL_TENANTS, RetentionSignal.METRIC_EVENTS, Duration.ofDays(30));
    Instant cutoff = NOW.minus(Duration.ofDays(30));
    event("acme", "old", cutoff.minusNanos(1));
    event("acme", "at-cutoff", cutoff);
    event("globex", "old", cutoff.minus(Duration.ofDays(1)));

    RetentionRun run = run(runner("one"), "events");

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.tasks())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.tenant()).isEqualTo(RetentionPolicy.ALL_TENANTS);
              assertThat(t.state()).isEqualTo(RetentionTask.State.DONE);
              assertThat(t.rows()).isEqualTo(2);
              assertThat(t.note()).isEqualTo(WholeSignal.NOTE);
            });
    assertThat(eventsOf("acme")).containsExactly("at-cutoff");
    assertThat(eventsOf("globex")).isEmpty();
    assertThat(count("sextant.retention.rows.deleted", "signal", "metric_events")).isEqualTo(2);
  }

  @Test
  void aTenantsPolicyOfASignalWithoutARetentionSurfaceIsSkippedNotFailedAndDeletesNothing() {
    save("events", RetentionPolicy.ALL_TENANTS, RetentionSignal.METRIC_EVENTS, Duration.ofDays(30));
    save("acme-events", "acme", RetentionSignal.METRIC_EVENTS, Duration.ofDays(1));
    event("acme", "old", NOW.minus(Duration.ofDays(40)));
    event("globex", "old", NOW.minus(Duration.ofDays(40)));

    RetentionRun tenants = run(runner("one"), "acme-events");
    RetentionRun all = run(runner("two"), "events");

    for (RetentionRun run : List.of(tenants, all)) {
      assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.tasks())
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.state()).isEqualTo(RetentionTask.State.SKIPPED);
                assertThat(t.note())
                    .isEqualTo(
                        "the memory storage backend deletes metricEvents only for every tenant at"
                            + " once: only a policy of every tenant without a selector, alone on"
                            + " its signal, applies");
              });
    }
    assertThat(eventsOf("acme")).containsExactly("old");
    assertThat(eventsOf("globex")).containsExactly("old");
  }

  @Test
  void historyIsKeptInTheStoreAndPruned() {
    save("all", RetentionPolicy.ALL_TENANTS, RetentionSignal.LOGS, Duration.ofDays(7));
    RetentionRunner runner = runner(TestConfig.of("one").withHistorySize(3));
    for (int i = 0; i < 5; i++) {
      clock.set(NOW.plusSeconds(i));
      run(runner, "all");
    }
    assertThat(storage.retention().runs(null, 100).await().atMost(WAIT)).hasSize(3);
  }

  @Test
  void defaultPoliciesExistOnceForEverySignal() {
    assertThat(DefaultPolicies.ensure(storage.retention(), TestConfig.of("a"), nanos(NOW)))
        .isEqualTo(RetentionSignal.values().length);
    assertThat(DefaultPolicies.ensure(storage.retention(), TestConfig.of("b"), nanos(NOW)))
        .isZero();
    List<RetentionPolicy> policies = storage.retention().policies().await().atMost(WAIT);
    assertThat(policies).hasSize(RetentionSignal.values().length);
    assertThat(policies)
        .allSatisfy(
            p -> {
              assertThat(p.tenant()).isEqualTo(RetentionPolicy.ALL_TENANTS);
              assertThat(p.enabled()).isTrue();
              assertThat(p.schedule()).isEqualTo("0 7 * * * ?");
            });
    assertThat(policies)
        .filteredOn(p -> p.signal() == RetentionSignal.METRIC_ROLLUPS_1H)
        .singleElement()
        .satisfies(p -> assertThat(p.maxAge()).isEqualTo(Duration.ofDays(400)));
  }

  @Test
  void logsOfOtherTenantsAndRangesAreUntouchedByATenantsRun() {
    save("acme-logs", "acme", RetentionSignal.LOGS, Duration.ofDays(1));
    storage
        .logs()
        .write(
            List.of(
                LogBuilder.log("acme", nanos(NOW.minus(Duration.ofDays(2)))).build(),
                LogBuilder.log("globex", nanos(NOW.minus(Duration.ofDays(2)))).build()))
        .await()
        .atMost(WAIT);
    run(runner("one"), "acme-logs");
    assertThat(
            storage
                .logs()
                .search(new LogQuery("globex", TimeRange.ALL, null, null, null, null, null, 10))
                .await()
                .atMost(WAIT))
        .hasSize(1);
    assertThat(storage.logs().search(LogQuery.all("acme", 10)).await().atMost(WAIT)).isEmpty();
  }
}
