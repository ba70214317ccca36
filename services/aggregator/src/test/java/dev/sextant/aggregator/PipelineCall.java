package dev.sextant.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.MetricPipeline;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.protocol.pipeline.v1.WriteResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import java.time.Duration;
import java.util.List;

/** One open pipeline stream, driven by a test as ingest would drive it. */
final class PipelineCall {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final UnicastProcessor<WriteRequest> requests = UnicastProcessor.create();
  private final AssertSubscriber<WriteResponse> responses;

  private PipelineCall(MetricPipeline client) {
    responses =
        client.write(requests).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
  }

  /** Opens a stream and returns once the initial credit arrived. */
  static PipelineCall open(MetricPipeline client, int expectedCredit) {
    PipelineCall call = new PipelineCall(client);
    call.responses.awaitItems(1, TIMEOUT);
    WriteResponse first = call.responses.getItems().getFirst();
    assertThat(first.hasCredit()).as("first response is a credit: %s", first).isTrue();
    assertThat(first.getCredit().getBatches()).isEqualTo(expectedCredit);
    return call;
  }

  /** Opens a stream without waiting for anything (for streams that are refused). */
  static PipelineCall start(MetricPipeline client) {
    return new PipelineCall(client);
  }

  void send(WriteRequest... batches) {
    for (WriteRequest batch : batches) {
      requests.onNext(batch);
    }
  }

  /** Sends one batch and waits for its ack. */
  Ack write(WriteRequest batch) {
    int before = acks().size();
    send(batch);
    return awaitAcks(before + 1).get(before);
  }

  /** Waits until {@code count} acks arrived on this stream; returns all acks so far. */
  List<Ack> awaitAcks(int count) {
    responses.awaitItems(count + 1, TIMEOUT);
    return acks();
  }

  List<Ack> acks() {
    List<WriteResponse> items = responses.getItems();
    assertThat(items.stream().skip(1))
        .allMatch(WriteResponse::hasAck, "every later item is an ack");
    return items.stream().skip(1).map(WriteResponse::getAck).toList();
  }

  void complete() {
    requests.onComplete();
  }

  void awaitCompletion() {
    responses.awaitCompletion(TIMEOUT);
  }

  /**
   * Abandons the call as a failing sender would: fails the request stream, which makes the client
   * cancel the gRPC call. (Cancelling the response {@code Multi} alone does not: the quarkus-grpc
   * client then only stops reading requests, and the call stays open on the server.)
   */
  void abort() {
    requests.onError(new IllegalStateException("the sender gave up"));
  }

  /** Waits for the stream to fail and returns its gRPC status. */
  Status awaitFailure() {
    responses.awaitFailure(TIMEOUT);
    assertThat(responses.getFailure()).isInstanceOf(StatusRuntimeException.class);
    return ((StatusRuntimeException) responses.getFailure()).getStatus();
  }
}
