package dev.sextant.aggregator;

import static dev.sextant.aggregator.Points.T0;
import static dev.sextant.aggregator.Points.batch;
import static dev.sextant.aggregator.Points.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.AckStatus;
import dev.sextant.protocol.pipeline.v1.MetricPipeline;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.query.TimeRange;
import io.grpc.Metadata;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcClientUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Who may write what, with authentication on. */
@QuarkusTest
@TestProfile(AuthProfile.class)
class PipelineAuthTest {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @GrpcClient("pipeline")
  MetricPipeline client;

  @Inject StorageComponent storage;

  @Test
  void aTenantBoundKeyWritesItsOwnTenantOnly() {
    PipelineCall call = PipelineCall.open(as(AuthProfile.ACME_KEY), 8);
    Ack own = call.write(batch(1, "acme", gauge("acme_gauge", 1, T0)));
    Ack other = call.write(batch(2, "globex", gauge("sneaky_gauge", 1, T0)));
    Ack ownAgain = call.write(batch(3, "acme", gauge("acme_gauge", 2, T0 + 1)));
    call.complete();
    call.awaitCompletion();

    assertThat(own.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
    assertThat(other)
        .isEqualTo(
            Ack.newBuilder()
                .setBatchId(2)
                .setStatus(AckStatus.ACK_STATUS_INVALID)
                .setRejectedPoints(1)
                .setErrorMessage("forbidden_tenant: this API key may not write for tenant 'globex'")
                .build());
    assertThat(ownAgain.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
    assertThat(names("acme")).contains("acme_gauge");
    assertThat(names("globex")).doesNotContain("sneaky_gauge");
  }

  @Test
  void theServiceKeyWritesForEveryTenant() {
    PipelineCall call = PipelineCall.open(as(AuthProfile.SERVICE_KEY), 8);
    Ack acme = call.write(batch(1, "acme", gauge("service_gauge", 1, T0)));
    Ack globex = call.write(batch(2, "globex", gauge("service_gauge", 1, T0)));
    call.complete();
    call.awaitCompletion();

    assertThat(acme.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
    assertThat(globex.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
    assertThat(names("acme")).contains("service_gauge");
    assertThat(names("globex")).contains("service_gauge");
  }

  @Test
  void aKeyWithoutTheIngestScopeIsRefused() {
    Status status = PipelineCall.start(as(AuthProfile.ACME_QUERY_KEY)).awaitFailure();
    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription()).isEqualTo("API key lacks scope 'ingest'");
  }

  @Test
  void noKeyOrAnUnknownKeyIsRefused() {
    assertThat(PipelineCall.start(client).awaitFailure().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(PipelineCall.start(as("not-a-key")).awaitFailure().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  private MetricPipeline as(String key) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + key);
    return GrpcClientUtils.attachHeaders(client, headers);
  }

  private java.util.List<String> names(String tenant) {
    return storage.metrics().metricNames(tenant, TimeRange.ALL).await().indefinitely();
  }
}
