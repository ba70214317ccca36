package dev.sextant.retention;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sextant.storage.testkit.ChdbServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On ClickHouse the tables' TTLs follow the retention policies (ADR 0013 addendum): set from the
 * default policies at startup, changed by the API call that changes a policy (before it answers),
 * and removed while a policy of the signal is disabled. Read back from the real server.
 */
@QuarkusTest
@TestProfile(OnClickHouseProfile.class)
class ClickHouseTtlFollowsPoliciesTest {
  private static final String SEVEN_DAYS = "toIntervalSecond(604800)";

  /** The table's engine clause as the server prints it, TTL included. */
  private static String engine(String table) {
    List<String> engine =
        ChdbServer.shared()
            .select(
                "SELECT engine_full FROM system.tables WHERE database = '"
                    + OnClickHouseProfile.DATABASE
                    + "' AND name = '"
                    + table
                    + "' FORMAT TSVRaw");
    assertThat(engine).as(table).hasSize(1);
    return engine.getFirst();
  }

  private static void put(String id, String json) {
    given()
        .contentType(ContentType.JSON)
        .body(json)
        .put("/api/v1/retention/policies/" + id)
        .then()
        .statusCode(200)
        .body("id", equalTo(id));
  }

  @Test
  void theTablesTtlsFollowThePoliciesAsTheyChange() {
    // Startup: the default policies (7 days for spans, payloads, logs; 30 days for events).
    assertThat(engine("spans")).contains(" TTL toDateTime(start_time) + " + SEVEN_DAYS);
    assertThat(engine("trace_index")).contains(" TTL toDateTime(last_start) + " + SEVEN_DAYS);
    assertThat(engine("logs")).contains(" TTL toDateTime(time) + " + SEVEN_DAYS);
    assertThat(engine("span_payloads")).contains(" TTL toDateTime(start_time) + " + SEVEN_DAYS);
    assertThat(engine("metric_events"))
        .contains(" TTL toDateTime(time) + toIntervalSecond(2592000)");
    assertThat(engine("rollups_1h"))
        .contains(" TTL toDateTime(window_start) + toIntervalSecond(34563600)");
    assertThat(engine("samples"))
        .as("raw samples go through downsampling only")
        .doesNotContain(" TTL ");

    int version =
        given()
            .get("/api/v1/retention/policies/default-spans")
            .then()
            .statusCode(200)
            .extract()
            .path("version");
    put(
        "default-spans",
        "{\"tenant\":\"*\",\"signal\":\"spans\",\"maxAge\":\"30d\",\"version\":" + version + "}");
    assertThat(engine("spans")).contains(" TTL toDateTime(start_time) + toIntervalSecond(2592000)");
    assertThat(engine("trace_index"))
        .contains(" TTL toDateTime(last_start) + toIntervalSecond(2592000)");

    // A tenant's policy that keeps longer: no row may go before it says.
    String longer =
        given()
            .contentType(ContentType.JSON)
            .body(
                "{\"tenant\":\"acme\",\"signal\":\"spans\",\"maxAge\":\"60d\","
                    + "\"selector\":{\"environment\":\"prod\"}}")
            .post("/api/v1/retention/policies")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    assertThat(engine("spans")).contains(" TTL toDateTime(start_time) + toIntervalSecond(5184000)");

    // Disabled, that policy keeps its rows for good: the spans' TTL goes, the logs' stays.
    put(
        longer,
        "{\"tenant\":\"acme\",\"signal\":\"spans\",\"maxAge\":\"60d\","
            + "\"selector\":{\"environment\":\"prod\"},\"enabled\":false,\"version\":1}");
    assertThat(engine("spans")).doesNotContain(" TTL ");
    assertThat(engine("trace_index")).doesNotContain(" TTL ");
    assertThat(engine("logs")).contains(" TTL toDateTime(time) + " + SEVEN_DAYS);

    given().delete("/api/v1/retention/policies/" + longer + "?version=2").then().statusCode(204);
    assertThat(engine("spans")).contains(" TTL toDateTime(start_time) + toIntervalSecond(2592000)");
  }
}
