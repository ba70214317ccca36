package dev.sextant.retention;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Temporality;
import dev.sextant.protocol.retention.v1.GetPolicyRequest;
import dev.sextant.protocol.retention.v1.ListRunsRequest;
import dev.sextant.protocol.retention.v1.Policy;
import dev.sextant.protocol.retention.v1.RetentionService;
import dev.sextant.protocol.retention.v1.Run;
import dev.sextant.protocol.retention.v1.RunNowRequest;
import dev.sextant.protocol.retention.v1.RunStatus;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.testkit.LogBuilder;
import dev.sextant.storage.testkit.SpanBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API over REST and gRPC, on the in-memory store, with a clock the test sets. */
@QuarkusTest
class RetentionApiTest {
  private static final String TENANT = "acme";
  private static final Instant NOW = FakeClock.START;
  private static final Instant SEVEN_DAYS_AGO = NOW.minus(Duration.ofDays(7));
  private static final Instant THIRTY_DAYS_AGO = NOW.minus(Duration.ofDays(30));
  private static final MetricSeries SERIES =
      new MetricSeries(
          TENANT,
          "queue_depth",
          Labels.of("queue", "jobs"),
          MetricType.GAUGE,
          Temporality.NONE,
          "1",
          "");

  @Inject StorageComponent storage;
  @Inject FakeClock clock;
  @Inject Scheduler scheduler;
  @Inject MeterRegistry registry;

  @GrpcClient("retention")
  RetentionService grpc;

  @BeforeEach
  void emptyStoreAtTheStartTime() {
    storage.spans().deleteOlderThan(Long.MAX_VALUE).await().indefinitely();
    storage.logs().deleteOlderThan(Long.MAX_VALUE).await().indefinitely();
    storage.metrics().deleteOlderThan(Long.MAX_VALUE).await().indefinitely();
    clock.set(NOW);
  }

  @Test
  void thePolicyIsTheConfiguredDefault() {
    Instant next = scheduler.getScheduledJob(RetentionSchedule.JOB).getNextFireTime();
    given()
        .get("/api/v1/retention/policy")
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .body("enabled", equalTo(true))
        .body("runOnStart", equalTo(false))
        .body("schedule", equalTo("0 7 * * * ?"))
        .body("nextRunAt", equalTo(next.toString()))
        .body("nextRunUnixNanos", equalTo(Long.toString(UnixNanos.of(next))))
        .body("spansMaxAge", equalTo("PT168H"))
        .body("spansMaxAgeSeconds", equalTo(604800))
        .body("logsMaxAge", equalTo("PT168H"))
        .body("logsMaxAgeSeconds", equalTo(604800))
        .body("metricPointsMaxAge", equalTo("PT720H"))
        .body("metricPointsMaxAgeSeconds", equalTo(2592000));

    Policy policy = grpc.getPolicy(GetPolicyRequest.getDefaultInstance()).await().indefinitely();
    assertThat(policy)
        .isEqualTo(
            Policy.newBuilder()
                .setSpansMaxAgeSeconds(604800)
                .setLogsMaxAgeSeconds(604800)
                .setMetricPointsMaxAgeSeconds(2592000)
                .setSchedule("0 7 * * * ?")
                .setEnabled(true)
                .setRunOnStart(false)
                .setNextRunUnixNano(UnixNanos.of(next))
                .build());
  }

  @Test
  void theJobIsRegisteredWithTheScheduler() {
    assertThat(scheduler.getScheduledJobs())
        .anySatisfy(job -> assertThat(job.getId()).isEqualTo(RetentionSchedule.JOB));
    Instant next = scheduler.getScheduledJob(RetentionSchedule.JOB).getNextFireTime();
    assertThat(next).isAfter(Instant.now().minusSeconds(1));
    assertThat(next.atZone(java.time.ZoneId.systemDefault()).getMinute()).isEqualTo(7);
    assertThat(next.atZone(java.time.ZoneId.systemDefault()).getSecond()).isZero();
  }

  @Test
  void runNowOverRestDeletesExactlyTheExpiredRows() {
    writeOldAndNew();

    given()
        .post("/api/v1/retention/runs")
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .body("trigger", equalTo("manual"))
        .body("status", equalTo("succeeded"))
        .body("startedAt", equalTo("2026-03-01T00:00:00Z"))
        .body("startedUnixNanos", equalTo("1772323200000000000"))
        .body("finishedAt", equalTo("2026-03-01T00:00:00Z"))
        .body("finishedUnixNanos", equalTo("1772323200000000000"))
        .body("cutoffs.spans.at", equalTo("2026-02-22T00:00:00Z"))
        .body("cutoffs.spans.unixNanos", equalTo("1771718400000000000"))
        .body("cutoffs.logs.at", equalTo("2026-02-22T00:00:00Z"))
        .body("cutoffs.metricPoints.at", equalTo("2026-01-30T00:00:00Z"))
        .body("cutoffs.metricPoints.unixNanos", equalTo("1769731200000000000"))
        .body("deleted.spans", equalTo(1))
        .body("deleted.logs", equalTo(1))
        .body("deleted.metricPoints", equalTo(1))
        .body("error", equalTo(""));

    assertOnlyTheNewRowsAreLeft();
  }

  @Test
  void runNowOverGrpcDeletesExactlyTheExpiredRows() {
    writeOldAndNew();

    Run run = grpc.runNow(RunNowRequest.getDefaultInstance()).await().indefinitely();

    assertThat(run.getStatus()).isEqualTo(RunStatus.RUN_STATUS_SUCCEEDED);
    assertThat(run.getTrigger()).isEqualTo("manual");
    assertThat(run.getStartedUnixNano()).isEqualTo(UnixNanos.of(NOW));
    assertThat(run.getFinishedUnixNano()).isEqualTo(UnixNanos.of(NOW));
    assertThat(run.getSpansCutoffUnixNano()).isEqualTo(UnixNanos.of(SEVEN_DAYS_AGO));
    assertThat(run.getLogsCutoffUnixNano()).isEqualTo(UnixNanos.of(SEVEN_DAYS_AGO));
    assertThat(run.getMetricPointsCutoffUnixNano()).isEqualTo(UnixNanos.of(THIRTY_DAYS_AGO));
    assertThat(run.getSpansDeleted()).isEqualTo(1);
    assertThat(run.getLogsDeleted()).isEqualTo(1);
    assertThat(run.getMetricPointsDeleted()).isEqualTo(1);
    assertThat(run.getError()).isEmpty();
    assertOnlyTheNewRowsAreLeft();
  }

  @Test
  void aLaterClockExpiresMore() {
    writeOldAndNew();
    clock.set(NOW.plus(Duration.ofHours(12)));

    Run run = grpc.runNow(RunNowRequest.getDefaultInstance()).await().indefinitely();

    // Twelve hours later, the rows that were exactly at the cutoff are past it too.
    assertThat(run.getSpansDeleted()).isEqualTo(2);
    assertThat(run.getLogsDeleted()).isEqualTo(2);
    assertThat(run.getMetricPointsDeleted()).isEqualTo(2);
  }

  @Test
  void theHistoryListsRunsNewestFirst() {
    long first = grpc.runNow(RunNowRequest.getDefaultInstance()).await().indefinitely().getId();
    int second = given().post("/api/v1/retention/runs").then().statusCode(200).extract().path("id");
    long third = grpc.runNow(RunNowRequest.getDefaultInstance()).await().indefinitely().getId();
    assertThat(List.of(first, (long) second, third)).isSorted().doesNotHaveDuplicates();

    given()
        .queryParam("limit", 3)
        .get("/api/v1/retention/runs")
        .then()
        .statusCode(200)
        .body("runs", hasSize(3))
        .body("runs[0].id", equalTo((int) third))
        .body("runs[1].id", equalTo(second))
        .body("runs[2].id", equalTo((int) first));
    assertThat(
            grpc
                .listRuns(ListRunsRequest.newBuilder().setLimit(2).build())
                .await()
                .indefinitely()
                .getRunsList()
                .stream()
                .map(Run::getId))
        .containsExactly(third, (long) second);
    // uint32 2^32-1 arrives as -1 in Java: all runs, like 0.
    assertThat(
            grpc.listRuns(ListRunsRequest.newBuilder().setLimit(-1).build())
                .await()
                .indefinitely()
                .getRunsCount())
        .isGreaterThanOrEqualTo(3);
    given()
        .get("/api/v1/retention/runs")
        .then()
        .statusCode(200)
        .body("runs.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(3))
        .body("runs[0].finishedAt", org.hamcrest.Matchers.notNullValue());
  }

  @Test
  void aBadLimitIsABadRequest() {
    for (String limit : List.of("0", "-1", "abc", "10001", "1e3", "99999999999999999999", "%00")) {
      given()
          .queryParam("limit", limit)
          .get("/api/v1/retention/runs")
          .then()
          .statusCode(400)
          .contentType(ContentType.JSON)
          .body("status", equalTo("error"))
          .body("errorType", equalTo("bad_data"))
          .body("error", equalTo("limit must be an integer from 1 to 10000: " + limit));
    }
  }

  @Test
  void anEmptyLimitMeansNoLimit() {
    given().post("/api/v1/retention/runs").then().statusCode(200);
    given()
        .queryParam("limit", "")
        .get("/api/v1/retention/runs")
        .then()
        .statusCode(200)
        .body("runs.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
  }

  @Test
  void unknownRoutesAndMethodsAreRefusedCleanly() {
    given().get("/api/v1/retention/nothing").then().statusCode(404);
    given().delete("/api/v1/retention/runs").then().statusCode(405);
    given().post("/api/v1/retention/policy").then().statusCode(405);
    given()
        .contentType(ContentType.JSON)
        .body("{\"spansMaxAge\": \"P0D\", \"tenant\": \"other\"")
        .post("/api/v1/retention/runs")
        .then()
        .statusCode(200)
        .body("cutoffs.spans.at", equalTo(SEVEN_DAYS_AGO.toString()))
        .body("error", equalTo(""));
  }

  @Test
  void retentionPublishesItsMetrics() {
    given().post("/api/v1/retention/runs").then().statusCode(200);

    assertThat(registry.get("sextant.retention.last.success.timestamp").gauge().value())
        .isEqualTo(NOW.getEpochSecond());
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            containsString(
                "sextant_retention_runs_total{outcome=\"succeeded\",trigger=\"manual\"}"),
            containsString(
                "sextant_retention_runs_total{outcome=\"skipped\",trigger=\"schedule\"}"),
            containsString("sextant_retention_rows_deleted_total{signal=\"metric_points\"}"),
            containsString("sextant_retention_last_success_timestamp_seconds"),
            containsString("sextant_retention_running"),
            containsString(
                "sextant_store_seconds_count{op=\"delete\",outcome=\"ok\",signal=\"spans\"}"));
  }

  /**
   * Of each signal: one row just past the cutoff (goes), one exactly at it (stays: deletes take
   * what is strictly older), one newer (stays).
   */
  private void writeOldAndNew() {
    storage
        .spans()
        .write(
            List.of(
                span("00000000000000000000000000000001", SEVEN_DAYS_AGO.minusNanos(1)),
                span("00000000000000000000000000000002", SEVEN_DAYS_AGO),
                span("00000000000000000000000000000003", NOW.minus(Duration.ofDays(6)))))
        .await()
        .indefinitely();
    storage
        .logs()
        .write(
            List.of(
                LogBuilder.log(TENANT, UnixNanos.of(SEVEN_DAYS_AGO.minusNanos(1)))
                    .body("old")
                    .build(),
                LogBuilder.log(TENANT, UnixNanos.of(SEVEN_DAYS_AGO)).body("at cutoff").build(),
                LogBuilder.log(TENANT, UnixNanos.of(NOW.minus(Duration.ofDays(6))))
                    .body("new")
                    .build()))
        .await()
        .indefinitely();
    storage
        .metrics()
        .write(
            List.of(
                point(THIRTY_DAYS_AGO.minusNanos(1), 1),
                point(THIRTY_DAYS_AGO, 2),
                point(NOW.minus(Duration.ofDays(29)), 3)))
        .await()
        .indefinitely();
  }

  private void assertOnlyTheNewRowsAreLeft() {
    assertThat(trace("00000000000000000000000000000001")).isEmpty();
    assertThat(trace("00000000000000000000000000000002")).hasSize(1);
    assertThat(trace("00000000000000000000000000000003")).hasSize(1);
    assertThat(
            storage.logs().search(LogQuery.all(TENANT, 100)).await().indefinitely().stream()
                .map(record -> record.bodyText()))
        .containsExactlyInAnyOrder("at cutoff", "new");
    assertThat(storage.metrics().points(TENANT, SERIES.id(), TimeRange.ALL).await().indefinitely())
        .containsExactly(
            new NumberPoint(0, UnixNanos.of(THIRTY_DAYS_AGO), 2),
            new NumberPoint(0, UnixNanos.of(NOW.minus(Duration.ofDays(29))), 3));
  }

  private List<dev.sextant.model.Span> trace(String traceId) {
    return storage.spans().trace(TENANT, traceId).await().indefinitely();
  }

  private static dev.sextant.model.Span span(String traceId, Instant start) {
    return SpanBuilder.span(TENANT, traceId, "0000000000000001").start(UnixNanos.of(start)).build();
  }

  private static MetricWrite point(Instant at, double value) {
    MetricPoint point = new NumberPoint(0, UnixNanos.of(at), value);
    return new MetricWrite(SERIES, point);
  }
}
