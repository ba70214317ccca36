package dev.sextant.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.ingest.Delivery;
import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.AckStatus;
import dev.sextant.service.errors.Failures;
import dev.sextant.service.errors.RejectedRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchOutcomesTest {
  private static BatchOutcome ack(AckStatus status, int rejected, String message) {
    return BatchOutcome.of(
        Ack.newBuilder()
            .setStatus(status)
            .setRejectedPoints(rejected)
            .setErrorMessage(message)
            .build());
  }

  @Test
  void committedBatchesAddUpTheirRejections() {
    Delivery delivery =
        BatchOutcomes.combine(
            List.of(
                ack(AckStatus.ACK_STATUS_COMMITTED, 2, "series limit"),
                ack(AckStatus.ACK_STATUS_COMMITTED, 1, "series limit")));
    assertThat(delivery.rejected()).isEqualTo(3);
    assertThat(delivery.message()).isEqualTo("series limit");
  }

  @Test
  void theWorstOutcomeDecides() {
    assertKind(
        List.of(
            ack(AckStatus.ACK_STATUS_COMMITTED, 0, ""),
            ack(AckStatus.ACK_STATUS_RETRYABLE, 0, "busy")),
        Failures.Kind.UNAVAILABLE);
    assertKind(
        List.of(
            ack(AckStatus.ACK_STATUS_RETRYABLE, 0, ""),
            ack(AckStatus.ACK_STATUS_INVALID, 0, "bad")),
        Failures.Kind.BAD_INPUT);
    assertKind(List.of(BatchOutcome.overloaded("full")), Failures.Kind.OVERLOADED);
    assertKind(List.of(ack(AckStatus.ACK_STATUS_UNSPECIFIED, 0, "")), Failures.Kind.UNAVAILABLE);
  }

  private static void assertKind(List<BatchOutcome> outcomes, Failures.Kind kind) {
    assertThatThrownBy(() -> BatchOutcomes.combine(outcomes))
        .isInstanceOfSatisfying(
            RejectedRequestException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
