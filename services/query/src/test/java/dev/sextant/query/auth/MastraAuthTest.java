package dev.sextant.query.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.MetricEvent;
import dev.sextant.query.Fixtures;
import dev.sextant.storage.StorageComponent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Mastra routes with authentication on: a browser's CORS preflight (sent without credentials)
 * is answered, every read needs a query key, and a key reads its own tenant only.
 */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
class MastraAuthTest {
  @Inject StorageComponent storage;

  private static MetricEvent event(String tenant, String id) {
    return new MetricEvent(
        tenant,
        "auth-" + id,
        Fixtures.base(41),
        "auth_check_ms",
        7,
        Map.of(),
        "",
        "",
        Correlation.NONE,
        Cost.NONE,
        "");
  }

  @Test
  void preflightsPassReadsNeedAKeyAndSeeTheirTenantOnly() {
    storage
        .metricEvents()
        .write(List.of(event("acme", "a"), event("globex", "g")))
        .await()
        .atMost(Duration.ofSeconds(10));
    Response preflight =
        given()
            .header("Origin", "http://127.0.0.1:3000")
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization,x-mastra-client-type")
            .options("/api/observability/metrics");
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("http://127.0.0.1:3000");

    given().get("/api/observability/metrics?name=auth_check_ms").then().statusCode(401);
    Response acme =
        given()
            .header("Authorization", "Bearer " + AuthOnProfile.ACME_KEY)
            .get("/api/observability/metrics?name=auth_check_ms");
    assertThat(acme.statusCode()).isEqualTo(200);
    assertThat(acme.jsonPath().getList("metrics.metricId")).containsExactly("auth-a");
    given()
        .header("Authorization", "Bearer " + AuthOnProfile.SERVICE_KEY)
        .get("/api/observability/metrics?name=auth_check_ms")
        .then()
        .statusCode(403);
  }
}
