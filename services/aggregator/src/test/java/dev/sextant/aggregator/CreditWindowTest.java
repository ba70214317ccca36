package dev.sextant.aggregator;

import static dev.sextant.aggregator.GatedStoreProfile.WINDOW;
import static dev.sextant.aggregator.Points.T0;
import static dev.sextant.aggregator.Points.batch;
import static dev.sextant.aggregator.Points.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.model.Tenants;
import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.AckStatus;
import dev.sextant.protocol.pipeline.v1.MetricPipeline;
import dev.sextant.storage.StorageException;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flow control, store failures and stream ends, against a store the test holds and releases. */
@QuarkusTest
@TestProfile(GatedStoreProfile.class)
class CreditWindowTest {
  private static final String TENANT = Tenants.DEFAULT;
  private static final WriteGate GATE = WriteGate.INSTANCE;

  @GrpcClient("pipeline")
  MetricPipeline client;

  @Inject PipelineMetrics metrics;

  @BeforeEach
  void resetGate() {
    GATE.reset();
  }

  @AfterEach
  void nothingLeaks() {
    GATE.open();
    awaitNoStreamOpenAndNoBatchInFlight();
  }

  private void awaitNoStreamOpenAndNoBatchInFlight() {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(metrics.openStreams()).as("open streams").isZero();
              assertThat(metrics.inFlight()).as("batches in flight").isZero();
            });
  }

  @Test
  void writesAWindowOfBatchesConcurrentlyAndNeverMore() {
    PipelineCall call = PipelineCall.open(client, WINDOW);
    GATE.close();
    int batches = 10;
    int sent = 0;
    int acked = 0;
    // Behave like ingest: keep WINDOW batches unacknowledged, send one more per ack.
    while (sent < WINDOW) {
      call.send(batch(++sent, TENANT, gauge("windowed", sent, T0 + sent)));
    }
    while (acked < batches) {
      int unacknowledged = sent - acked;
      await().until(() -> GATE.held() == unacknowledged);
      assertThat(metrics.inFlight()).isEqualTo(unacknowledged);
      GATE.releaseOne();
      acked = call.awaitAcks(acked + 1).size();
      if (sent < batches) {
        call.send(batch(++sent, TENANT, gauge("windowed", sent, T0 + sent)));
      }
    }
    call.complete();
    call.awaitCompletion();

    assertThat(call.acks())
        .hasSize(batches)
        .allSatisfy(ack -> assertThat(ack.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED));
    assertThat(call.acks().stream().map(Ack::getBatchId))
        .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(GATE.maxConcurrent()).isEqualTo(WINDOW);
  }

  @Test
  void aSenderBeyondItsCreditLosesTheStreamAndTheStoreNeverSeesMoreThanTheWindow() {
    PipelineCall call = PipelineCall.open(client, WINDOW);
    GATE.close();
    call.send(
        batch(1, TENANT, gauge("over_credit", 1, T0)),
        batch(2, TENANT, gauge("over_credit", 2, T0)),
        batch(3, TENANT, gauge("over_credit", 3, T0)));

    Status status = call.awaitFailure();

    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription())
        .isEqualTo("batch 3 exceeds the credit of 2 unacknowledged batches");
    assertThat(GATE.maxConcurrent()).isLessThanOrEqualTo(WINDOW);
    assertThat(call.acks()).isEmpty();
  }

  @Test
  void aBatchIdStillUnacknowledgedCannotBeReused() {
    PipelineCall call = PipelineCall.open(client, WINDOW);
    GATE.close();
    call.send(batch(5, TENANT, gauge("reused", 1, T0)), batch(5, TENANT, gauge("reused", 2, T0)));

    Status status = call.awaitFailure();

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .isEqualTo("batch id 5 is already unacknowledged on this stream");
  }

  @Test
  void aBatchIdMayBeReusedOnceAcknowledged() {
    PipelineCall call = PipelineCall.open(client, WINDOW);
    Ack first = call.write(batch(5, TENANT, gauge("reused_after_ack", 1, T0)));
    Ack second = call.write(batch(5, TENANT, gauge("reused_after_ack", 2, T0 + 1)));
    call.complete();
    call.awaitCompletion();

    assertThat(List.of(first, second))
        .allSatisfy(ack -> assertThat(ack.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED));
  }

  @Test
  void storeFailuresAreAnsweredRetryableOrInvalidAndTheStreamGoesOn() {
    PipelineCall call = PipelineCall.open(client, WINDOW);
    GATE.failNextWith(
        new StorageException(StorageException.Code.UNAVAILABLE, "database is locked"));
    Ack unavailable = call.write(batch(1, TENANT, gauge("store_fails", 1, T0)));
    GATE.failNextWith(new StorageException(StorageException.Code.OVERLOADED, "too busy"));
    Ack overloaded = call.write(batch(2, TENANT, gauge("store_fails", 1, T0)));
    GATE.failNextWith(
        new StorageException(StorageException.Code.INVALID_ARGUMENT, "the store refused it"));
    Ack invalid = call.write(batch(3, TENANT, gauge("store_fails", 1, T0)));
    Ack retried = call.write(batch(4, TENANT, gauge("store_fails", 1, T0)));
    call.complete();
    call.awaitCompletion();

    assertThat(unavailable)
        .isEqualTo(
            Ack.newBuilder()
                .setBatchId(1)
                .setStatus(AckStatus.ACK_STATUS_RETRYABLE)
                .setRejectedPoints(1)
                .setErrorMessage("store_unavailable: store: database is locked")
                .build());
    assertThat(overloaded.getStatus()).isEqualTo(AckStatus.ACK_STATUS_RETRYABLE);
    assertThat(invalid)
        .isEqualTo(
            Ack.newBuilder()
                .setBatchId(3)
                .setStatus(AckStatus.ACK_STATUS_INVALID)
                .setRejectedPoints(1)
                .setErrorMessage("store_failed: store: the store refused it")
                .build());
    assertThat(retried.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
  }

  @Test
  void anAbandonedStreamReleasesItsBatches() {
    PipelineCall call = PipelineCall.open(client, WINDOW);
    GATE.close();
    call.send(
        batch(1, TENANT, gauge("cancelled", 1, T0)), batch(2, TENANT, gauge("cancelled", 2, T0)));
    await().until(() -> GATE.held() == WINDOW);
    assertThat(metrics.inFlight()).isEqualTo(WINDOW);
    assertThat(metrics.openStreams()).isEqualTo(1);

    call.abort();

    // The store still holds both writes: the stream's end alone releases them.
    awaitNoStreamOpenAndNoBatchInFlight();
    assertThat(GATE.held()).isEqualTo(WINDOW);
  }

  @Test
  void aStreamCompletedByTheSenderAnswersEveryBatchFirst() {
    PipelineCall call = PipelineCall.open(client, WINDOW);
    GATE.close();
    call.send(
        batch(1, TENANT, gauge("completed", 1, T0)), batch(2, TENANT, gauge("completed", 2, T0)));
    call.complete();
    await().until(() -> GATE.held() == WINDOW);
    GATE.open();
    call.awaitCompletion();

    assertThat(call.acks().stream().map(Ack::getBatchId)).containsExactlyInAnyOrder(1L, 2L);
  }
}
