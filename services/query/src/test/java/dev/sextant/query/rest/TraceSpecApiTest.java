package dev.sextant.query.rest;

import static dev.sextant.query.Fixtures.SECOND;
import static dev.sextant.query.Fixtures.base;
import static dev.sextant.query.Fixtures.span;
import static dev.sextant.query.Fixtures.spanId;
import static dev.sextant.query.Fixtures.traceId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Span;
import dev.sextant.model.StatusCode;
import dev.sextant.model.Tenants;
import dev.sextant.query.Fixtures;
import dev.sextant.storage.StorageComponent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TraceSpec endpoints: check, record, diff over traces in the store. */
@QuarkusTest
class TraceSpecApiTest {
  private static final int SLOT = 17;
  private static final String T = Tenants.DEFAULT;
  private static final long BASE = base(SLOT);
  private static final String RUN = traceId(SLOT, 1);
  private static final String OTHER_RUN = traceId(SLOT, 2);
  private static final String UNKNOWN = traceId(SLOT, 99);

  private static final String SPEC =
      """
      spans:
        - name: "agent run *"
          attributes: {mastra.entity.name: weather-agent}
          children:
            - name: llm generation
              count: "1.."
            - name: "tool call *"
              status: OK
      """;

  @Inject StorageComponent storage;

  @BeforeEach
  void writeTraces() {
    Fixtures.writeSpans(storage, run(RUN, "tool call get_weather", StatusCode.OK));
    Fixtures.writeSpans(storage, run(OTHER_RUN, "tool call get_forecast", StatusCode.ERROR));
  }

  private static List<Span> run(String traceId, String tool, StatusCode toolStatus) {
    return List.of(
        span(
            T,
            traceId,
            spanId(1),
            "",
            "agent run weather-agent",
            "agent",
            BASE,
            3 * SECOND,
            StatusCode.OK,
            Map.of("mastra.entity.name", "weather-agent", "thread.id", traceId)),
        span(
            T,
            traceId,
            spanId(2),
            spanId(1),
            "llm generation",
            "agent",
            BASE + 1,
            SECOND,
            StatusCode.UNSET,
            Map.of("gen_ai.request.model", "gpt-4o-mini")),
        span(
            T,
            traceId,
            spanId(3),
            spanId(1),
            tool,
            "agent",
            BASE + 2 * SECOND,
            SECOND / 2,
            toolStatus,
            Map.of()));
  }

  @Test
  void aMatchingTraceIsReportedMatched() {
    JsonPath body = check(RUN, SPEC, "application/yaml", 200);
    assertThat(body.getBoolean("matched")).as(body.getString("report")).isTrue();
    assertThat(body.getString("traceId")).isEqualTo(RUN);
    assertThat(body.getString("summary")).isEqualTo("trace matches the spec (3 spans)");
    assertThat(body.getInt("spanCount")).isEqualTo(3);
    assertThat(body.getList("problems")).isEmpty();
  }

  @Test
  void aMismatchIsExplained() {
    JsonPath body = check(OTHER_RUN, SPEC, "application/yaml", 200);
    assertThat(body.getBoolean("matched")).isFalse();
    assertThat(body.getString("summary"))
        .isEqualTo("trace does not match the spec: 1 missing, 1 extra (3 spans)");
    assertThat(body.getList("problems.kind")).containsExactly("EXTRA", "MISSING");
    assertThat(body.getString("problems[1].path")).isEqualTo("agent run *");
    assertThat(body.getString("problems[1].message"))
        .isEqualTo(
            "no span for tool call *; closest: tool call get_forecast ERROR (500ms): status"
                + " ERROR, expected OK");
    assertThat(body.getString("report"))
        .startsWith("FAIL trace does not match the spec")
        .contains("✗   tool call *", "(missing)", "+ ", "tool call get_forecast ERROR (500ms)");
  }

  @Test
  void aJsonSpecIsReadAsJson() {
    String json =
        """
        {"spans": [{"name": "agent run *", "allowExtra": true}]}
        """;
    assertThat(check(RUN, json, "application/json", 200).getBoolean("matched")).isTrue();
  }

  @Test
  void aRecordedSpecMatchesItsTraceAndTellsTheOtherRunApart() {
    String yaml =
        given()
            .when()
            .get("/api/v1/traces/" + RUN + "/spec")
            .then()
            .statusCode(200)
            .contentType("application/yaml")
            .extract()
            .asString();
    assertThat(yaml)
        .contains("name: \"agent run weather-agent\"", "mastra.entity.name: \"weather-agent\"")
        .doesNotContain("thread.id", RUN);
    assertThat(check(RUN, yaml, "application/yaml", 200).getBoolean("matched")).isTrue();
    JsonPath other = check(OTHER_RUN, yaml, "application/yaml", 200);
    assertThat(other.getBoolean("matched")).isFalse();
    assertThat(other.getList("problems.kind")).containsExactly("EXTRA", "MISSING");

    String json =
        given()
            .when()
            .get("/api/v1/traces/" + RUN + "/spec?format=json&generalise=true")
            .then()
            .statusCode(200)
            .contentType("application/json")
            .extract()
            .asString();
    assertThat(check(RUN, json, "application/json", 200).getBoolean("matched")).isTrue();
  }

  @Test
  void twoRunsAreDiffed() {
    JsonPath body =
        given()
            .when()
            .get("/api/v1/traces/diff?a=" + RUN + "&b=" + OTHER_RUN)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(body.getBoolean("identical")).isFalse();
    assertThat(body.getString("a")).isEqualTo(RUN);
    assertThat(body.getList("entries.change")).containsExactly("ONLY_IN_A", "ONLY_IN_B");
    assertThat(body.getString("entries[0].detail")).isEqualTo("tool call get_weather (500ms)");
    assertThat(body.getString("report")).contains("-   tool call get_weather", "+   tool call");
  }

  @Test
  void aMalformedSpecIsA400WithThePlaceAndTheReason() {
    assertError(
        check(RUN, "spans: [{name: a, nmae: b}]", "application/yaml", 400),
        "bad_data",
        "invalid spec: spans[0].nmae: unknown key \"nmae\", expected one of [allowExtra,");
    assertError(
        check(RUN, "{\"spans\": [", "application/json", 400),
        "bad_data",
        "invalid spec: not valid JSON");
    assertError(
        check(RUN, "", "application/yaml", 400), "bad_data", "invalid spec: the spec is empty");
    assertError(
        check(RUN, "spans: [{name: {regex: '('}}]", "application/yaml", 400),
        "bad_data",
        "invalid spec: spans[0].name.regex: invalid regex /(/");
  }

  @Test
  void aSpecTooAmbiguousForTheTraceIsA400() {
    List<Span> wide = new java.util.ArrayList<>();
    String id = traceId(SLOT, 3);
    wide.add(span(T, id, spanId(1), "", "root", "agent", BASE, SECOND, StatusCode.OK, Map.of()));
    for (int i = 0; i < 13; i++) {
      wide.add(
          span(
              T,
              id,
              spanId(10 + i),
              spanId(1),
              "step",
              "agent",
              BASE + i + 1,
              1,
              StatusCode.OK,
              Map.of()));
    }
    Fixtures.writeSpans(storage, wide);
    String spec =
        "spans: [{name: root, children: ["
            + String.join(",", Collections.nCopies(12, "{name: 'st*'}"))
            + "]}]";
    assertError(check(id, spec, "application/yaml", 400), "bad_data", "spec too expensive:");
  }

  @Test
  void anUnknownTraceIsA404AndABadIdA400() {
    assertError(check(UNKNOWN, SPEC, "application/yaml", 404), "not_found", "trace " + UNKNOWN);
    given().when().get("/api/v1/traces/" + UNKNOWN + "/spec").then().statusCode(404);
    given().when().get("/api/v1/traces/diff?a=" + RUN + "&b=" + UNKNOWN).then().statusCode(404);
    assertError(check("xyz", SPEC, "application/yaml", 400), "bad_data", "trace id");
  }

  @Test
  void parametersAreStrict() {
    given().when().get("/api/v1/traces/" + RUN + "/spec?format=xml").then().statusCode(400);
    given().when().get("/api/v1/traces/" + RUN + "/spec?generalise=yes").then().statusCode(400);
    given().when().get("/api/v1/traces/" + RUN + "/spec?fromat=json").then().statusCode(400);
    given().when().get("/api/v1/traces/diff?a=" + RUN).then().statusCode(400);
  }

  private static JsonPath check(String traceId, String spec, String contentType, int status) {
    return given()
        .contentType(contentType)
        .body(spec.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .when()
        .post("/api/v1/traces/" + traceId + "/check")
        .then()
        .statusCode(status)
        .extract()
        .jsonPath();
  }

  private static void assertError(JsonPath body, String type, String message) {
    assertThat(body.getString("errorType")).isEqualTo(type);
    assertThat(body.getString("error")).startsWith(message);
  }
}
