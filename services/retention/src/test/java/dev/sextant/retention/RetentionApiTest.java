package dev.sextant.retention;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.sextant.model.LogRecord;
import dev.sextant.protocol.retention.v1.CreatePolicyRequest;
import dev.sextant.protocol.retention.v1.DryRunRequest;
import dev.sextant.protocol.retention.v1.DryRunResponse;
import dev.sextant.protocol.retention.v1.GetOldestRequest;
import dev.sextant.protocol.retention.v1.ListPoliciesRequest;
import dev.sextant.protocol.retention.v1.ListRunsRequest;
import dev.sextant.protocol.retention.v1.Policy;
import dev.sextant.protocol.retention.v1.PolicySpec;
import dev.sextant.protocol.retention.v1.RetentionService;
import dev.sextant.protocol.retention.v1.Run;
import dev.sextant.protocol.retention.v1.RunNowRequest;
import dev.sextant.protocol.retention.v1.RunStatus;
import dev.sextant.protocol.retention.v1.UpdatePolicyRequest;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.testkit.LogBuilder;
import dev.sextant.storage.testkit.SpanBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API over REST and gRPC on the in-memory store, with a clock the test sets. Each test
 * works on its own tenant, so the default policies (every tenant) never reach its data: its tenant
 * policies are more specific.
 */
@QuarkusTest
class RetentionApiTest {
  private static final Instant NOW = FakeClock.START;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject StorageComponent storage;
  @Inject FakeClock clock;
  @Inject Scheduler scheduler;

  @GrpcClient("retention")
  RetentionService grpc;

  private int spans;

  @BeforeEach
  void atTheStartTime() {
    clock.set(NOW);
  }

  private static String policyJson(String tenant, String signal, String maxAge, String extra) {
    return "{\"tenant\":\""
        + tenant
        + "\",\"signal\":\""
        + signal
        + "\",\"maxAge\":\""
        + maxAge
        + "\""
        + extra
        + "}";
  }

  private static ValidatableResponse post(String path, String body) {
    return given().contentType(ContentType.JSON).body(body).post(path).then();
  }

  private static String create(String tenant, String signal, String maxAge, String extra) {
    return post("/api/v1/retention/policies", policyJson(tenant, signal, maxAge, extra))
        .statusCode(201)
        .extract()
        .path("id");
  }

  private void span(String tenant, Instant start) {
    spans++;
    storage
        .spans()
        .write(
            List.of(
                SpanBuilder.span(
                        tenant, String.format("%032x", spans), String.format("%016x", spans))
                    .start(UnixNanos.of(start))
                    .build()))
        .await()
        .atMost(WAIT);
  }

  @Test
  void everySignalHasADefaultPolicyFromTheFirstStartOnItsSchedule() {
    given()
        .get("/api/v1/retention/policies")
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .body("policies.findAll { it.defaultPolicy }", hasSize(RetentionSignal.values().length))
        .body("policies.find { it.id == 'default-spans' }.tenant", equalTo("*"))
        .body("policies.find { it.id == 'default-spans' }.maxAge", equalTo("PT168H"))
        .body("policies.find { it.id == 'default-spans' }.maxAgeSeconds", equalTo(604800))
        .body("policies.find { it.id == 'default-spans' }.schedule", equalTo("0 7 * * * ?"))
        .body("policies.find { it.id == 'default-spans' }.enabled", equalTo(true))
        .body("policies.find { it.id == 'default-spans' }.nextRunAt", notNullValue())
        .body("policies.find { it.id == 'default-metricPoints' }.maxAgeSeconds", equalTo(1296000))
        .body(
            "policies.find { it.id == 'default-metricRollups1h' }.maxAgeSeconds",
            equalTo(34560000));
    assertThat(scheduler.getScheduledJob(RetentionSchedule.jobOf("default-logs"))).isNotNull();
    assertThat(
            scheduler
                .getScheduledJob(RetentionSchedule.jobOf("default-logs"))
                .getNextFireTime()
                .atZone(java.time.ZoneId.systemDefault())
                .getMinute())
        .isEqualTo(7);
  }

  @Test
  void policiesAreValidatedVersionedAndTheirSchedulesFollowThem() {
    post("/api/v1/retention/policies", policyJson("crud", "traces", "7d", ""))
        .statusCode(400)
        .body("errorType", equalTo("bad_data"))
        .body("error", containsString("signal must be one of spans, spanPayloads, logs"));
    post("/api/v1/retention/policies", policyJson("crud", "spans", "10s", ""))
        .statusCode(400)
        .body("error", containsString("maxAge must be from 60 s"));
    post("/api/v1/retention/policies", policyJson("crud", "spans", "a week", ""))
        .statusCode(400)
        .body("error", containsString("maxAge must be a duration like 7d"));
    post(
            "/api/v1/retention/policies",
            policyJson("crud", "spans", "7d", ",\"schedule\":\"hourly\""))
        .statusCode(400)
        .body("error", containsString("is not a Quartz cron expression"));
    post("/api/v1/retention/policies", policyJson("", "spans", "7d", ""))
        .statusCode(400)
        .body("error", containsString("tenant is required"));

    String id =
        create(
            "crud",
            "spans",
            "3d",
            ",\"selector\":{\"service\":\"checkout\"},\"maxBytes\":1000000,"
                + "\"schedule\":\"0 0/15 * * * ?\"");
    given()
        .get("/api/v1/retention/policies/" + id)
        .then()
        .statusCode(200)
        .body("tenant", equalTo("crud"))
        .body("signal", equalTo("spans"))
        .body("selector.service", equalTo("checkout"))
        .body("maxAge", equalTo("PT72H"))
        .body("maxBytes", equalTo(1000000))
        .body("version", equalTo(1))
        .body("defaultPolicy", equalTo(false));
    assertThat(scheduler.getScheduledJob(RetentionSchedule.jobOf(id))).isNotNull();
    post(
            "/api/v1/retention/policies",
            policyJson("crud", "spans", "9d", ",\"selector\":{\"service\":\"checkout\"}"))
        .statusCode(409)
        .body("errorType", equalTo("conflict"))
        .body("error", containsString("already governs spans of tenant crud"));

    String change =
        policyJson(
            "crud",
            "spans",
            "5d",
            ",\"selector\":{\"service\":\"checkout\"},\"enabled\":false,\"version\":");
    given()
        .contentType(ContentType.JSON)
        .body(change.replace("\"version\":}", "\"version\":7}"))
        .put("/api/v1/retention/policies/" + id)
        .then()
        .statusCode(409)
        .body("error", containsString("is at version 1, not 7"));
    given()
        .contentType(ContentType.JSON)
        .body(change.replace("\"version\":}", "\"version\":1}"))
        .put("/api/v1/retention/policies/" + id)
        .then()
        .statusCode(200)
        .body("version", equalTo(2))
        .body("maxAgeSeconds", equalTo(432000))
        .body("enabled", equalTo(false))
        .body("nextRunAt", equalTo(null));
    assertThat(scheduler.getScheduledJob(RetentionSchedule.jobOf(id)))
        .as("a disabled policy is not scheduled")
        .isNull();

    given()
        .delete("/api/v1/retention/policies/default-spans")
        .then()
        .statusCode(409)
        .body("error", containsString("set enabled to false"));
    given().delete("/api/v1/retention/policies/" + id + "?version=1").then().statusCode(409);
    given().delete("/api/v1/retention/policies/" + id + "?version=2").then().statusCode(204);
    given()
        .get("/api/v1/retention/policies/" + id)
        .then()
        .statusCode(404)
        .body("errorType", equalTo("not_found"));
  }

  @Test
  void aDryRunCountsRowsAndBytesPerDayAndDeletesNothing() {
    List<LogRecord> logs = new ArrayList<>();
    for (int day = 2; day <= 3; day++) {
      for (int i = 0; i < day; i++) {
        logs.add(
            LogBuilder.log("dry", UnixNanos.of(NOW.minus(Duration.ofDays(day))) + i)
                .body("line")
                .build());
      }
    }
    logs.add(LogBuilder.log("dry", UnixNanos.of(NOW.minus(Duration.ofHours(1)))).build());
    storage.logs().write(logs).await().atMost(WAIT);
    String id = create("dry", "logs", "1d", "");

    given()
        .queryParam("policy", id)
        .post("/api/v1/retention/dry-run")
        .then()
        .statusCode(200)
        .body("at", equalTo("2026-03-01T00:00:00Z"))
        .body("tasks", hasSize(1))
        .body("tasks[0].tenant", equalTo("dry"))
        .body("tasks[0].signal", equalTo("logs"))
        .body("tasks[0].kind", equalTo("age"))
        .body("tasks[0].cutoffAt", equalTo("2026-02-28T00:00:00Z"))
        .body("tasks[0].rows", equalTo(5))
        .body("tasks[0].days.day", equalTo(List.of("2026-02-26", "2026-02-27")))
        .body("tasks[0].days.rows", equalTo(List.of(3, 2)));
    DryRunResponse overGrpc =
        grpc.dryRun(DryRunRequest.newBuilder().setPolicyId(id).build()).await().atMost(WAIT);
    assertThat(overGrpc.getTasksList())
        .singleElement()
        .satisfies(t -> assertThat(t.getRows()).isEqualTo(5));
    assertThat(
            storage
                .logs()
                .search(dev.sextant.storage.query.LogQuery.all("dry", 100))
                .await()
                .atMost(WAIT))
        .hasSize(6);
  }

  @Test
  void runNowAppliesThePolicyAtItsBoundaryAndTheHistoryAndOldestShowIt() {
    Instant cutoff = NOW.minus(Duration.ofDays(7));
    span("boundary", cutoff.minusNanos(1));
    span("boundary", cutoff);
    String id = create("boundary", "spans", "7d", "");

    given()
        .queryParam("policy", id)
        .post("/api/v1/retention/runs")
        .then()
        .statusCode(200)
        .body("runs", hasSize(1))
        .body("runs[0].policyId", equalTo(id))
        .body("runs[0].trigger", equalTo("manual"))
        .body("runs[0].status", equalTo("succeeded"))
        .body("runs[0].owner", equalTo("retention-under-test"))
        .body("runs[0].startedAt", equalTo("2026-03-01T00:00:00Z"))
        .body("runs[0].planUnixNanos", equalTo("1772323200000000000"))
        .body("runs[0].rowsDeleted", equalTo(1))
        .body("runs[0].tasks[0].tenant", equalTo("boundary"))
        .body("runs[0].tasks[0].cutoffAt", equalTo("2026-02-22T00:00:00Z"))
        .body("runs[0].tasks[0].state", equalTo("done"));

    given()
        .queryParam("policy", id)
        .get("/api/v1/retention/runs")
        .then()
        .statusCode(200)
        .body("runs", hasSize(1))
        .body("runs[0].bytesDeleted", notNullValue());
    given()
        .get("/api/v1/retention/oldest")
        .then()
        .statusCode(200)
        .body(
            "oldest.findAll { it.tenant == 'boundary' && it.signal == 'spans' }.unixNanos",
            equalTo(List.of(Long.toString(UnixNanos.of(cutoff)))));
    given()
        .queryParam("limit", "0")
        .get("/api/v1/retention/runs")
        .then()
        .statusCode(400)
        .body("error", equalTo("limit must be an integer from 1 to 10000: 0"));
  }

  @Test
  void aPolicyRunningInAnotherInstanceStartsNothingHere() {
    String id = create("leased", "logs", "7d", "");
    storage
        .retention()
        .acquireLease(
            RetentionRunner.leaseName(id),
            "retention-other-pod",
            UnixNanos.of(NOW),
            Duration.ofMinutes(2).toNanos())
        .await()
        .atMost(WAIT);

    given()
        .queryParam("policy", id)
        .post("/api/v1/retention/runs")
        .then()
        .statusCode(409)
        .body("errorType", equalTo("conflict"))
        .body(
            "error",
            equalTo("policy " + id + " is running in retention-other-pod; no new run was started"));

    clock.set(NOW.plus(Duration.ofMinutes(3)));
    given()
        .queryParam("policy", id)
        .post("/api/v1/retention/runs")
        .then()
        .statusCode(200)
        .body("runs[0].status", equalTo("succeeded"));
  }

  @Test
  void theGrpcApiManagesAndRunsPoliciesToo() {
    PolicySpec spec =
        PolicySpec.newBuilder()
            .setTenant("grpc")
            .setSignal("spans")
            .setMaxAgeSeconds(Duration.ofDays(2).toSeconds())
            .setEnabled(true)
            .build();
    StatusRuntimeException invalid =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                grpc.createPolicy(
                        CreatePolicyRequest.newBuilder()
                            .setSpec(spec.toBuilder().setSignal("nope"))
                            .build())
                    .await()
                    .atMost(WAIT));
    assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

    Policy created =
        grpc.createPolicy(CreatePolicyRequest.newBuilder().setSpec(spec).build())
            .await()
            .atMost(WAIT);
    assertThat(created.getVersion()).isEqualTo(1);
    assertThat(created.getSpec().getSchedule()).isEqualTo("0 7 * * * ?");
    assertThat(created.getNextRunUnixNano()).isPositive();
    StatusRuntimeException stale =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                grpc.updatePolicy(
                        UpdatePolicyRequest.newBuilder()
                            .setId(created.getId())
                            .setVersion(5)
                            .setSpec(spec)
                            .build())
                    .await()
                    .atMost(WAIT));
    assertThat(stale.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(
            grpc.listPolicies(ListPoliciesRequest.getDefaultInstance())
                .await()
                .atMost(WAIT)
                .getPoliciesList())
        .anySatisfy(p -> assertThat(p.getId()).isEqualTo(created.getId()));

    span("grpc", NOW.minus(Duration.ofDays(3)));
    List<Run> runs =
        grpc.runNow(RunNowRequest.newBuilder().setPolicyId(created.getId()).build())
            .await()
            .atMost(WAIT)
            .getRunsList();
    assertThat(runs)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getStatus()).isEqualTo(RunStatus.RUN_STATUS_SUCCEEDED);
              assertThat(r.getRowsDeleted()).isEqualTo(1);
              assertThat(r.getTasks(0).getTenant()).isEqualTo("grpc");
            });
    assertThat(
            grpc.listRuns(ListRunsRequest.newBuilder().setPolicyId(created.getId()).build())
                .await()
                .atMost(WAIT)
                .getRunsList())
        .extracting(Run::getId)
        .containsExactly(runs.getFirst().getId());
    assertThat(grpc.getOldest(GetOldestRequest.getDefaultInstance()).await().atMost(WAIT))
        .isNotNull();
  }

  @Test
  void runsOfEveryVisiblePolicyGoOneAfterTheOther() {
    span("all", NOW.minus(Duration.ofDays(400)));
    Map<String, Object> answer =
        given()
            .post("/api/v1/retention/runs")
            .then()
            .statusCode(200)
            .body("runs.policyId", hasItem("default-spans"))
            .extract()
            .path("runs.find { it.policyId == 'default-spans' }");
    assertThat(answer.get("status")).isEqualTo("succeeded");
  }
}
