package dev.sextant.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Feedback;
import dev.sextant.model.MastraAttributes;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Span;
import dev.sextant.model.SpanPayload;
import dev.sextant.model.Tenants;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.query.EventQuery;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Mastra's publish API, with the bodies the platform exporter of the real app sent. */
@QuarkusTest
class MastraPublishTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject StorageComponent storage;

  @AfterEach
  void reset() {
    FaultInjectingStorage.heal();
    FakeAggregator.CONTROL.reset();
  }

  private static String resource(String name) throws Exception {
    try (InputStream in = MastraPublishTest.class.getResourceAsStream("/mastra/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Response publish(String path, String body) {
    return given()
        .contentType("application/json")
        .header("x-mastra-observability-capabilities", "quota-pause-v1")
        .body(body)
        .post(path);
  }

  @Test
  void spansAreStoredWithTheirPayloadsBeforeTheAnswer() throws Exception {
    Response response = publish("/ai/spans/publish", resource("platform-spans.json"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.jsonPath().getInt("rejected")).isZero();
    String trace = "9d06d8f35e5ee55e7353ee703362ad52";
    List<Span> spans = StoredData.trace(storage, trace);
    assertThat(spans).hasSize(7);
    assertThat(spans)
        .filteredOn(s -> "model_inference".equals(s.attributes().get(MastraAttributes.SPAN_TYPE)))
        .allSatisfy(s -> assertThat(s.attributes()).containsKey(MastraAttributes.COST_AMOUNT));
    List<SpanPayload> payloads =
        storage.payloads().trace(Tenants.DEFAULT, trace).await().atMost(WAIT);
    assertThat(payloads)
        .extracting(SpanPayload::input)
        .contains("\"What is the weather in Oslo?\"");
  }

  @Test
  void aProjectPathAndTheEmptyQuotaProbeAreAnswered() {
    Response probe = publish("/projects/my-app_1/ai/spans/publish", "{\"spans\":[]}");
    assertThat(probe.statusCode()).isEqualTo(200);
    assertThat(probe.header("x-mastra-observability")).isNull();
    assertThat(publish("/projects/bad%20id/ai/spans/publish", "{\"spans\":[]}").statusCode())
        .isEqualTo(400);
  }

  @Test
  void logsMetricEventsScoresAndFeedbackLandInTheirStores() throws Exception {
    assertThat(publish("/ai/logs/publish", resource("platform-logs.json")).statusCode())
        .isEqualTo(200);
    assertThat(StoredData.logsOf(storage, "mastra-app-platform"))
        .extracting(r -> r.bodyText())
        .contains("weather lookup requested");

    assertThat(publish("/ai/metrics/publish", resource("platform-metrics.json")).statusCode())
        .isEqualTo(200);
    List<MetricEvent> events =
        storage.metricEvents().search(EventQuery.all(Tenants.DEFAULT, 100)).await().atMost(WAIT);
    assertThat(events).extracting(MetricEvent::name).contains("app_weather_lookups");
    // After the commit, the events go to the aggregator as one additive batch of delta points.
    Awaitility.await().atMost(WAIT).until(() -> !FakeAggregator.CONTROL.received().isEmpty());
    WriteRequest batch = FakeAggregator.CONTROL.received().getFirst();
    assertThat(batch.getAdditive()).isTrue();
    assertThat(batch.getPointsList())
        .extracting(MetricPoint::getName, MetricPoint::getType)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "app_weather_lookups", MetricType.METRIC_TYPE_COUNTER));

    String score =
        """
        {"scores":[{"scoreId":"s-1","timestamp":"2026-11-25T01:52:44.352Z","scorerId":"relevance",
          "score":0.8,"reason":"on topic","traceId":"eabd809fcb8ac6e0d84604b520415cc2",
          "correlationContext":{"entityType":"agent","entityName":"Travel Agent"}},
         {"timestamp":"2026-11-25T01:52:44.352Z","scorerId":"no-id","score":1}]}
        """;
    Response scored = publish("/ai/scores/publish", score);
    assertThat(scored.statusCode()).isEqualTo(200);
    assertThat(scored.jsonPath().getInt("rejected")).isEqualTo(1);
    assertThat(scored.jsonPath().getString("message")).contains("missing_id");
    assertThat(storage.scores().search(EventQuery.all(Tenants.DEFAULT, 10)).await().atMost(WAIT))
        .singleElement()
        .satisfies(s -> assertThat(s.score()).isEqualTo(0.8));

    String feedback =
        """
        {"feedback":[{"feedbackId":"f-1","timestamp":"2026-11-25T01:52:44.352Z","feedbackType":"comment",
          "feedbackSource":"user","value":"too slow","traceId":"eabd809fcb8ac6e0d84604b520415cc2"}]}
        """;
    assertThat(publish("/ai/feedback/publish", feedback).statusCode()).isEqualTo(200);
    assertThat(storage.feedback().search(EventQuery.all(Tenants.DEFAULT, 10)).await().atMost(WAIT))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.textValue()).isEqualTo("too slow");
              assertThat(f.reviewStatus()).isEqualTo(Feedback.NEEDS_REVIEW);
            });
  }

  @Test
  void aBodyThatIsNoPublishBodyIs400() {
    assertThat(publish("/ai/spans/publish", "not json").statusCode()).isEqualTo(400);
    assertThat(publish("/ai/spans/publish", "{\"logs\":[]}").statusCode()).isEqualTo(400);
  }

  @Test
  void anUnavailableStoreIs503WithRetryAfterNever402() throws Exception {
    FaultInjectingStorage.failWrites(
        new StorageException(StorageException.Code.UNAVAILABLE, "disk gone"));
    Response response = publish("/ai/spans/publish", resource("platform-spans.json"));
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.header("Retry-After")).isNotNull();
    FaultInjectingStorage.failWrites(
        new StorageException(StorageException.Code.OVERLOADED, "busy"));
    Response overloaded = publish("/ai/metrics/publish", resource("platform-metrics.json"));
    assertThat(overloaded.statusCode()).isEqualTo(429);
    assertThat(overloaded.header("Retry-After")).isNotNull();
  }

  @Test
  void theAnswerWaitsForTheCommit() throws Exception {
    FaultInjectingStorage.holdWrites();
    String body = resource("platform-logs.json");
    CompletableFuture<Response> answer =
        CompletableFuture.supplyAsync(() -> publish("/ai/logs/publish", body));
    // The logs reached the store and wait there: no answer goes out meanwhile.
    Awaitility.await().atMost(WAIT).until(() -> FaultInjectingStorage.heldWrites() > 0);
    Awaitility.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !answer.isDone());
    assertThat(answer).isNotDone();
    FaultInjectingStorage.heal();
    assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }
}
