package dev.sextant.retention;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.sextant.protocol.retention.v1.GetPolicyRequest;
import dev.sextant.protocol.retention.v1.ListRunsRequest;
import dev.sextant.protocol.retention.v1.RetentionService;
import dev.sextant.protocol.retention.v1.RunNowRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcClientUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Who may administer retention, and the run at startup, as deployed. */
@QuarkusTest
@TestProfile(ProductionLikeProfile.class)
class RetentionAuthTest {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @GrpcClient("retention")
  RetentionService grpc;

  @Test
  void anAdminKeyMayUseTheApi() {
    given()
        .header("Authorization", "Bearer " + ProductionLikeProfile.ADMIN_KEY)
        .get("/api/v1/retention/policy")
        .then()
        .statusCode(200)
        .body("runOnStart", equalTo(true));
    given()
        .header("Authorization", "Bearer " + ProductionLikeProfile.ADMIN_KEY)
        .post("/api/v1/retention/runs")
        .then()
        .statusCode(200)
        .body("trigger", equalTo("manual"));
    assertThat(
            as(ProductionLikeProfile.ADMIN_KEY)
                .getPolicy(GetPolicyRequest.getDefaultInstance())
                .await()
                .atMost(Duration.ofSeconds(20))
                .getRunOnStart())
        .isTrue();
  }

  @Test
  void aKeyWithoutTheAdminScopeIsForbidden() {
    for (String path : new String[] {"/api/v1/retention/policy", "/api/v1/retention/runs"}) {
      given()
          .header("Authorization", "Bearer " + ProductionLikeProfile.INGEST_KEY)
          .get(path)
          .then()
          .statusCode(403)
          .body("errorType", equalTo("forbidden"))
          .body("error", equalTo("API key lacks scope 'admin'"));
    }
    given()
        .header("Authorization", "Bearer " + ProductionLikeProfile.INGEST_KEY)
        .post("/api/v1/retention/runs")
        .then()
        .statusCode(403);

    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                as(ProductionLikeProfile.INGEST_KEY)
                    .runNow(RunNowRequest.getDefaultInstance())
                    .await()
                    .atMost(Duration.ofSeconds(20)));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void noKeyOrAnUnknownKeyIsUnauthorized() {
    given().post("/api/v1/retention/runs").then().statusCode(401);
    given()
        .header("Authorization", "Bearer not-a-key")
        .get("/api/v1/retention/runs")
        .then()
        .statusCode(401);
    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                grpc.getPolicy(GetPolicyRequest.getDefaultInstance())
                    .await()
                    .atMost(Duration.ofSeconds(20)));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void retentionRanAtStartup() {
    RetentionService admin = as(ProductionLikeProfile.ADMIN_KEY);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        admin
                            .listRuns(ListRunsRequest.getDefaultInstance())
                            .await()
                            .atMost(Duration.ofSeconds(20))
                            .getRunsList())
                    .anySatisfy(
                        run -> {
                          assertThat(run.getTrigger()).isEqualTo("startup");
                          assertThat(run.getId()).isEqualTo(1);
                          assertThat(run.getStatus())
                              .isEqualTo(
                                  dev.sextant.protocol.retention.v1.RunStatus.RUN_STATUS_SUCCEEDED);
                        }));
  }

  private RetentionService as(String key) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + key);
    return GrpcClientUtils.attachHeaders(grpc, headers);
  }
}
