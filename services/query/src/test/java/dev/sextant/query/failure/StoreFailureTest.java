package dev.sextant.query.failure;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import dev.sextant.protocol.query.v1.ListMetricNamesRequest;
import dev.sextant.protocol.query.v1.QueryServiceGrpc.QueryServiceBlockingStub;
import dev.sextant.protocol.query.v1.SearchLogsRequest;
import dev.sextant.storage.StorageException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Store failures reach clients as retryable or final answers, never with the store's internals. */
@QuarkusTest
@TestProfile(FailingStoreProfile.class)
class StoreFailureTest {
  private static final List<String> PATHS =
      List.of(
          "/api/v1/traces/0af7651916cd43dd8448eb211c80319c",
          "/api/v1/traces",
          "/api/v1/logs",
          "/api/v1/metrics/names",
          "/api/v1/metrics/series?match=up",
          "/api/v1/metrics/points?series=42");

  @GrpcClient("query")
  QueryServiceBlockingStub query;

  @AfterEach
  void reset() {
    FailingStorage.failWith = StorageException.Code.UNAVAILABLE;
  }

  private static ValidatableResponse get(String path, int status) {
    return given().get(path).then().statusCode(status).contentType("application/json");
  }

  @Test
  void anUnavailableStoreIs503WithRetryAfter() {
    FailingStorage.failWith = StorageException.Code.UNAVAILABLE;
    for (String path : PATHS) {
      String error =
          get(path, 503).header("Retry-After", "1").extract().jsonPath().getString("errorType");
      assertThat(error).as(path).isEqualTo("unavailable");
    }
  }

  @Test
  void anOverloadedStoreIs429WithRetryAfter() {
    FailingStorage.failWith = StorageException.Code.OVERLOADED;
    for (String path : PATHS) {
      get(path, 429).header("Retry-After", "1");
    }
  }

  @Test
  void internalFailuresAre500WithoutTheirDetails() {
    FailingStorage.failWith = StorageException.Code.INTERNAL;
    for (String path : PATHS) {
      String body = get(path, 500).extract().asString();
      assertThat(body)
          .isEqualTo(
              "{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"internal error\"}");
    }
  }

  @Test
  void badInputIsStillCheckedBeforeTheStoreIsAsked() {
    get("/api/v1/traces?limit=0", 400);
  }

  @Test
  void grpcAnswersCarryRetryInfoWhenRetryable() {
    FailingStorage.failWith = StorageException.Code.UNAVAILABLE;
    assertThatThrownBy(() -> query.searchLogs(SearchLogsRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(StatusProto.fromThrowable(e).getDetailsList())
                  .anySatisfy(detail -> assertThat(detail.is(RetryInfo.class)).isTrue());
            });
    FailingStorage.failWith = StorageException.Code.OVERLOADED;
    assertThatThrownBy(() -> query.listMetricNames(ListMetricNamesRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    FailingStorage.failWith = StorageException.Code.INTERNAL;
    assertThatThrownBy(() -> query.listMetricNames(ListMetricNamesRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
            });
  }

  @Test
  void outcomesAreCountedInTheRequestMetrics() {
    FailingStorage.failWith = StorageException.Code.UNAVAILABLE;
    given().get("/api/v1/logs").then().statusCode(503);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .containsPattern(
            "sextant_query_requests_seconds_count\\{api=\"rest\",endpoint=\"search_logs\","
                + "outcome=\"unavailable\"\\} [1-9]");
  }
}
