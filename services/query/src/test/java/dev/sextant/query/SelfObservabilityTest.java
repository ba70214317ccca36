package dev.sextant.query;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.protocol.query.v1.GetTraceRequest;
import dev.sextant.protocol.query.v1.QueryServiceGrpc.QueryServiceBlockingStub;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Request metrics by API, endpoint and outcome; health; the OpenAPI document. */
@QuarkusTest
class SelfObservabilityTest {

  @GrpcClient("query")
  QueryServiceBlockingStub query;

  private static double count(String api, String endpoint, String outcome) {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m =
        Pattern.compile(
                "sextant_query_requests_seconds_count\\{api=\""
                    + api
                    + "\",endpoint=\""
                    + endpoint
                    + "\",outcome=\""
                    + outcome
                    + "\"\\} ([0-9.E]+)")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void everyRequestIsCountedByApiEndpointAndOutcome() {
    double notFound = count("rest", "get_trace", "not_found");
    double badInput = count("rest", "search_traces", "bad_input");
    double ok = count("rest", "metric_names", "ok");
    double grpcBad = count("grpc", "get_trace", "bad_input");

    given().get("/api/v1/traces/0af7651916cd43dd8448eb211c80319c").then().statusCode(404);
    given().get("/api/v1/traces?limit=0").then().statusCode(400);
    given().get("/api/v1/metrics/names").then().statusCode(200);
    try {
      query.getTrace(GetTraceRequest.newBuilder().setTraceId("bad").build());
    } catch (io.grpc.StatusRuntimeException expected) {
      // counted below
    }

    assertThat(count("rest", "get_trace", "not_found")).isEqualTo(notFound + 1);
    assertThat(count("rest", "search_traces", "bad_input")).isEqualTo(badInput + 1);
    assertThat(count("rest", "metric_names", "ok")).isEqualTo(ok + 1);
    assertThat(count("grpc", "get_trace", "bad_input")).isEqualTo(grpcBad + 1);
    assertThat(given().get("/q/metrics").then().extract().asString())
        .contains("sextant_store_seconds_count{op=\"names\",outcome=\"ok\",signal=\"metrics\"}");
  }

  @Test
  void healthAsksTheStore() {
    given().get("/q/health/ready").then().statusCode(200);
    given().get("/q/health/live").then().statusCode(200);
  }

  @Test
  void theOpenApiDocumentDescribesEveryEndpoint() throws Exception {
    java.nio.file.Files.writeString(
        java.nio.file.Path.of("/tmp/openapi.json"),
        given().queryParam("format", "json").get("/q/openapi").asString());
    JsonPath api =
        given()
            .queryParam("format", "json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(api.getMap("paths").keySet())
        .contains(
            "/api/v1/traces",
            "/api/v1/traces/{traceId}",
            "/api/v1/logs",
            "/api/v1/metrics/names",
            "/api/v1/metrics/series",
            "/api/v1/metrics/points");
    // The routing context parameter is the framework's, not a request body.
    assertThat(api.getMap("paths.'/api/v1/logs'.get")).doesNotContainKey("requestBody");
    assertThat(api.getList("paths.'/api/v1/logs'.get.parameters.name"))
        .contains("severity", "traceId", "contains");
    assertThat(api.getList("paths.'/api/v1/logs'.get.parameters.$ref"))
        .contains("#/components/parameters/start", "#/components/parameters/end");
    assertThat(api.getMap("components.schemas")).containsKeys("Error", "TraceJson", "SpanJson");
    assertThat(api.getMap("paths.'/api/v1/traces'.get.responses"))
        .containsKeys("200", "400", "503");
  }
}
