package dev.sextant.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sextant.ingest.pipeline.LinkState;
import dev.sextant.ingest.pipeline.MetricPipelineClient;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.service.auth.ApiKeys;
import dev.sextant.storage.StorageComponent;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With authentication on: the tenant is the caller's key's, never the payload's; ingest's own
 * stream to the aggregator presents the service key (the fake aggregator sits behind the same
 * authentication, so a READY stream proves the key was sent).
 */
@QuarkusTest
@TestProfile(AuthTest.AuthOn.class)
class AuthTest {
  private static final String TENANT_KEY = "acme-ingest-key";
  private static final String SERVICE_KEY = "ingest-service-key";

  public static final class AuthOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "sextant.auth.enabled",
          "true",
          "sextant.auth.keys",
          "acme/ingest/"
              + ApiKeys.sha256Hex(TENANT_KEY)
              + ",*/ingest/"
              + ApiKeys.sha256Hex(SERVICE_KEY),
          "sextant.ingest.aggregator-api-key",
          SERVICE_KEY);
    }
  }

  @Inject StorageComponent storage;
  @Inject MetricPipelineClient pipeline;

  @GrpcClient("otlp")
  Channel channel;

  @Test
  void theMastraPublishApiMapsTheBearerKeyToItsTenant() {
    String trace = "0123456789abcdef0123456789abcdef";
    String body =
        "{\"spans\":[{\"traceId\":\""
            + trace
            + "\",\"spanId\":\"0123456789abcdef\",\"name\":\"agent run\","
            + "\"spanType\":\"agent_run\",\"startedAt\":\"2026-11-25T01:52:44.353Z\","
            + "\"endedAt\":\"2026-11-25T01:52:45.353Z\"}]}";
    // No key and an unknown key: 401, on which Mastra's exporter backs off instead of retrying.
    assertThat(
            given()
                .contentType("application/json")
                .body(body)
                .post("/ai/spans/publish")
                .statusCode())
        .isEqualTo(401);
    assertThat(
            given()
                .header("Authorization", "Bearer wrong")
                .contentType("application/json")
                .body(body)
                .post("/ai/spans/publish")
                .statusCode())
        .isEqualTo(401);
    assertThat(
            given()
                .header("Authorization", "Bearer " + TENANT_KEY)
                .contentType("application/json")
                .body(body)
                .post("/ai/spans/publish")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            storage.spans().trace("acme", trace).await().atMost(java.time.Duration.ofSeconds(10)))
        .hasSize(1);
    assertThat(
            storage
                .spans()
                .trace("default", trace)
                .await()
                .atMost(java.time.Duration.ofSeconds(10)))
        .isEmpty();
  }

  @Test
  void remoteWriteNeedsAnIngestKey() {
    byte[] body =
        RemoteWriteTest.snappy(
            dev.sextant.protocol.prometheus.WriteRequest.newBuilder()
                .addTimeseries(
                    RemoteWriteTest.series("__name__", "auth_check")
                        .addSamples(RemoteWriteTest.sample(System.currentTimeMillis(), 1)))
                .build()
                .toByteArray());
    assertThat(RemoteWriteTest.post(body).statusCode()).isEqualTo(401);
    assertThat(
            given()
                .header("Authorization", "Bearer " + TENANT_KEY)
                .header("Content-Encoding", "snappy")
                .contentType("application/x-protobuf")
                .body(body)
                .post("/api/v1/write")
                .statusCode())
        .isEqualTo(204);
  }

  @Test
  void httpWritesGoToTheKeysTenant() {
    ByteString trace = Otlp.traceId();
    byte[] body = Otlp.traces("svc", Otlp.span(trace, Otlp.spanId(), "s")).toByteArray();

    Response anonymous = given().contentType(OtlpHttp.PROTOBUF).body(body).post("/v1/traces");
    assertThat(anonymous.statusCode()).isEqualTo(401);

    Response allowed =
        given()
            .header("Authorization", "Bearer " + TENANT_KEY)
            .contentType(OtlpHttp.PROTOBUF)
            .body(body)
            .post("/v1/traces");
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(
            storage.spans().trace("acme", Otlp.hex(trace)).await().atMost(Duration.ofSeconds(10)))
        .hasSize(1);
    assertThat(StoredData.trace(storage, Otlp.hex(trace))).isEmpty(); // not in tenant "default"
  }

  @Test
  void aServiceKeyCannotSendTelemetry() {
    Response response =
        given()
            .header("Authorization", "Bearer " + SERVICE_KEY)
            .contentType(OtlpHttp.PROTOBUF)
            .body(Otlp.logs("svc", Otlp.log("x")).toByteArray())
            .post("/v1/logs");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(OtlpHttp.status(response).getMessage()).contains("service key");
  }

  @Test
  void grpcWritesNeedAKeyAndGoToItsTenant() {
    ByteString trace = Otlp.traceId();
    var request = Otlp.traces("svc", Otlp.span(trace, Otlp.spanId(), "s"));
    assertThatThrownBy(() -> TraceServiceGrpc.newBlockingStub(channel).export(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

    TraceServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(TENANT_KEY)).export(request);
    assertThat(
            storage.spans().trace("acme", Otlp.hex(trace)).await().atMost(Duration.ofSeconds(10)))
        .hasSize(1);
  }

  @Test
  void theMetricStreamPresentsTheServiceKeyAndBatchesCarryTheCallersTenant() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> pipeline.status().state() == LinkState.READY);
    FakeAggregator.CONTROL.reset();
    MetricsServiceGrpc.newBlockingStub(channel)
        .withInterceptors(bearer(TENANT_KEY))
        .export(Otlp.metrics("svc", Otlp.gauge("g", Otlp.number(1))));
    assertThat(FakeAggregator.CONTROL.received())
        .extracting(WriteRequest::getTenant)
        .containsExactly("acme");
  }

  private static io.grpc.ClientInterceptor bearer(String key) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }
}
