package dev.sextant.query.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Malformed, oversized and hostile REST input: a 400 with a clear message, never a crash. */
@QuarkusTest
class RestInputValidationTest {

  /** Sends the path and query exactly as written and expects a 400 bad_data answer. */
  private static String badRequest(String pathAndQuery) {
    JsonPath error =
        given()
            .urlEncodingEnabled(false)
            .get(pathAndQuery)
            .then()
            .statusCode(400)
            .contentType("application/json")
            .extract()
            .jsonPath();
    assertThat(error.getString("status")).isEqualTo("error");
    assertThat(error.getString("errorType")).isEqualTo("bad_data");
    return error.getString("error");
  }

  @Test
  void unknownAndRepeatedParameters() {
    assertThat(badRequest("/api/v1/traces?servce=agent"))
        .isEqualTo(
            "unknown parameter 'servce'; this endpoint takes: attr, end, limit, maxDuration,"
                + " minDuration, name, service, start, status");
    assertThat(badRequest("/api/v1/metrics/names?match=x"))
        .isEqualTo("unknown parameter 'match'; this endpoint takes: end, start");
    assertThat(badRequest("/api/v1/logs?severity=1&severity=2"))
        .isEqualTo("parameter severity must be given at most once, got 2");
  }

  @Test
  void limitsOutOfRange() {
    assertThat(badRequest("/api/v1/traces?limit=1001"))
        .isEqualTo("limit must be a whole number within 1..1000, got 1001");
    assertThat(badRequest("/api/v1/traces?limit=0"))
        .isEqualTo("limit must be a whole number within 1..1000, got 0");
    assertThat(badRequest("/api/v1/traces?limit=99999999999999999999999"))
        .startsWith("limit must be a whole number within 1..1000, got '9999");
    assertThat(badRequest("/api/v1/logs?limit=10001"))
        .isEqualTo("limit must be a whole number within 1..10000, got 10001");
    assertThat(badRequest("/api/v1/logs?limit=-5"))
        .isEqualTo("limit must be a whole number within 1..10000, got '-5'");
  }

  @Test
  void durations() {
    assertThat(badRequest("/api/v1/traces?minDuration=-1s"))
        .isEqualTo("minDuration must not be negative, got '-1s'");
    assertThat(badRequest("/api/v1/traces?maxDuration=5days"))
        .startsWith("maxDuration must be a duration like 250ms");
    assertThat(badRequest("/api/v1/traces?minDuration=2s&maxDuration=1500ms"))
        .isEqualTo("minDuration (2000000000 ns) is greater than maxDuration (1500000000 ns)");
  }

  @Test
  void timesAndWindows() {
    assertThat(badRequest("/api/v1/traces?start=2000&end=1000"))
        .isEqualTo("end (1000000000000 ns) is before start (2000000000000 ns)");
    assertThat(badRequest("/api/v1/logs?start=yesterday"))
        .startsWith("start must be an RFC 3339 time");
    assertThat(badRequest("/api/v1/metrics/names?end=1e9"))
        .startsWith("end must be an RFC 3339 time");
    assertThat(badRequest("/api/v1/metrics/series?match=up&start=1900-01-01T00:00:00Z"))
        .isEqualTo("start must not be before 1970-01-01T00:00:00Z, got '1900-01-01T00:00:00Z'");
    // end defaults to now: a start in the future leaves no window.
    assertThat(badRequest("/api/v1/traces?start=2200-01-01T00:00:00Z")).contains("is before start");
  }

  @Test
  void idsAndEnumerations() {
    assertThat(badRequest("/api/v1/logs?traceId=xyz"))
        .isEqualTo("traceId must be 32 hex characters, got 'xyz'");
    assertThat(badRequest("/api/v1/logs?severity=loud"))
        .startsWith("severity must be a severity number 1-24 or one of trace, debug, info");
    assertThat(badRequest("/api/v1/logs?severity=25")).endsWith("got 25");
    assertThat(badRequest("/api/v1/traces?status=failed"))
        .isEqualTo("status must be one of unset, ok, error; got 'failed'");
    assertThat(badRequest("/api/v1/traces?attr=novalue"))
        .isEqualTo("attr must be key=value with a non-empty key, got 'novalue'");
    assertThat(badRequest("/api/v1/logs?attr=k=1&attr=k=2"))
        .isEqualTo("attr filters attribute 'k' more than once");
  }

  @Test
  void seriesIdsAndSelectors() {
    assertThat(badRequest("/api/v1/metrics/points")).isEqualTo("parameter series is required");
    for (String bad : new String[] {"abc", "-1", "%2B1", "18446744073709551616", "1.0"}) {
      assertThat(badRequest("/api/v1/metrics/points?series=" + bad))
          .as(bad)
          .startsWith("series must be a series id (an unsigned 64-bit decimal");
    }
    assertThat(badRequest("/api/v1/metrics/series")).isEqualTo("parameter match is required");
    assertThat(badRequest("/api/v1/metrics/series?match=foo%7Bbar%7D"))
        .isEqualTo(
            "match: parse error at char 8: unexpected \"}\" in label matching, expected label"
                + " matching operator");
    assertThat(badRequest("/api/v1/metrics/series?match=%7Ba%3D%22%22%7D"))
        .isEqualTo(
            "match: parse error at char 1: vector selector must contain at least one non-empty"
                + " matcher");
    assertThat(badRequest("/api/v1/metrics/series?match=%7Ba%3D~%22(%22%7D"))
        .startsWith("match: parse error at char 5: invalid regular expression for label a");
  }

  @Test
  void veryLongParameters() {
    String longValue = "x".repeat(3000);
    assertThat(badRequest("/api/v1/traces?service=" + longValue))
        .isEqualTo("service is too long: 3000 characters, at most 2048");
    assertThat(badRequest("/api/v1/metrics/series?match=" + longValue))
        .isEqualTo("match is too long: 3000 characters, at most 2048");
    assertThat(badRequest("/api/v1/traces?attr=k=" + longValue))
        .isEqualTo("attr is too long: 3002 characters, at most 2048");
    // Beyond the HTTP server's request-line limit, the server itself refuses the request.
    given()
        .urlEncodingEnabled(false)
        .get("/api/v1/traces?service=" + "x".repeat(10_000))
        .then()
        .statusCode(414);
  }

  @TestHTTPResource("/")
  URL server;

  @Test
  void malformedEncodingAndNonAsciiText() throws IOException {
    // HTTP clients refuse to send a bad %-escape, so this one goes over a plain socket. The
    // HTTP server refuses it before any handler runs: a bare 400, connection closed.
    try (Socket socket = new Socket(server.getHost(), server.getPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET /api/v1/traces?service=%zz HTTP/1.1\r\nHost: localhost\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 400 Bad Request");
    }
    given()
        .urlEncodingEnabled(false)
        .get("/api/v1/logs?contains=%E6%97%A5%00%0A%22%3C")
        .then()
        .statusCode(200);
  }

  @Test
  void unknownPathsAndMethods() {
    given().get("/api/v1/nothing").then().statusCode(404);
    given().post("/api/v1/traces").then().statusCode(405);
  }
}
