package dev.sextant.retention;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.isOneOf;

import dev.sextant.protocol.retention.v1.ListPoliciesRequest;
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
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Who may administer retention, for which tenant, and the runs at startup, as deployed. */
@QuarkusTest
@TestProfile(ProductionLikeProfile.class)
class RetentionAuthTest {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Duration WAIT = Duration.ofSeconds(20);

  @GrpcClient("retention")
  RetentionService grpc;

  private static RequestSpecification as(String key) {
    return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
  }

  @Test
  void aTenantAdminManagesItsTenantAndReadsThePoliciesOfEveryTenant() {
    as(ProductionLikeProfile.ADMIN_KEY)
        .get("/api/v1/retention/policies")
        .then()
        .statusCode(200)
        .body("policies.tenant", everyItem(isOneOf("*", "acme")))
        .body("policies.id", hasItem("default-spans"));
    String id =
        as(ProductionLikeProfile.ADMIN_KEY)
            .body("{\"tenant\":\"acme\",\"signal\":\"logs\",\"maxAge\":\"3d\"}")
            .post("/api/v1/retention/policies")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    as(ProductionLikeProfile.ADMIN_KEY)
        .queryParam("policy", id)
        .post("/api/v1/retention/runs")
        .then()
        .statusCode(200)
        .body("runs[0].status", equalTo("succeeded"));

    for (String tenant : new String[] {"globex", "*"}) {
      as(ProductionLikeProfile.ADMIN_KEY)
          .body("{\"tenant\":\"" + tenant + "\",\"signal\":\"logs\",\"maxAge\":\"3d\"}")
          .post("/api/v1/retention/policies")
          .then()
          .statusCode(403)
          .body("errorType", equalTo("forbidden"));
    }
    as(ProductionLikeProfile.ADMIN_KEY)
        .queryParam("policy", "default-spans")
        .post("/api/v1/retention/runs")
        .then()
        .statusCode(403);
    as(ProductionLikeProfile.ADMIN_KEY)
        .body("{\"tenant\":\"*\",\"signal\":\"spans\",\"maxAge\":\"1d\",\"version\":1}")
        .put("/api/v1/retention/policies/default-spans")
        .then()
        .statusCode(403)
        .body("error", equalTo("policies of every tenant ('*') need a service key (tenant '*')"));
  }

  @Test
  void aServiceAdminKeyChangesThePoliciesOfEveryTenant() {
    int version =
        as(ProductionLikeProfile.SERVICE_ADMIN_KEY)
            .get("/api/v1/retention/policies/default-scores")
            .then()
            .statusCode(200)
            .extract()
            .path("version");
    as(ProductionLikeProfile.SERVICE_ADMIN_KEY)
        .body(
            "{\"tenant\":\"*\",\"signal\":\"scores\",\"maxAge\":\"180d\",\"version\":"
                + version
                + "}")
        .put("/api/v1/retention/policies/default-scores")
        .then()
        .statusCode(200)
        .body("maxAgeSeconds", equalTo(180 * 86400));
    as(ProductionLikeProfile.SERVICE_ADMIN_KEY)
        .body(
            "{\"tenant\":\"*\",\"signal\":\"logs\",\"maxAge\":\"180d\",\"version\":"
                + (version + 1)
                + "}")
        .put("/api/v1/retention/policies/default-scores")
        .then()
        .statusCode(400)
        .body(
            "error",
            equalTo(
                "a default policy keeps its tenant, signal and selector; create a policy for another scope"));
  }

  @Test
  void aKeyWithoutTheAdminScopeIsForbiddenAndNoKeyIsUnauthorized() {
    for (String path : new String[] {"/api/v1/retention/policies", "/api/v1/retention/runs"}) {
      as(ProductionLikeProfile.INGEST_KEY)
          .get(path)
          .then()
          .statusCode(403)
          .body("errorType", equalTo("forbidden"))
          .body("error", equalTo("API key lacks scope 'admin'"));
    }
    given().post("/api/v1/retention/runs").then().statusCode(401);
    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                grpcAs(ProductionLikeProfile.INGEST_KEY)
                    .runNow(RunNowRequest.getDefaultInstance())
                    .await()
                    .atMost(WAIT));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    StatusRuntimeException anonymous =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> grpc.listPolicies(ListPoliciesRequest.getDefaultInstance()).await().atMost(WAIT));
    assertThat(anonymous.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void everyPolicyRanAtStartup() {
    RetentionService operator = grpcAs(ProductionLikeProfile.SERVICE_ADMIN_KEY);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        operator
                            .listRuns(
                                ListRunsRequest.newBuilder().setPolicyId("default-logs").build())
                            .await()
                            .atMost(WAIT)
                            .getRunsList())
                    .anySatisfy(
                        run -> {
                          assertThat(run.getTrigger()).isEqualTo("startup");
                          assertThat(run.getStatus())
                              .isEqualTo(
                                  dev.sextant.protocol.retention.v1.RunStatus.RUN_STATUS_SUCCEEDED);
                        }));
  }

  private RetentionService grpcAs(String key) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + key);
    return GrpcClientUtils.attachHeaders(grpc, headers);
  }
}
