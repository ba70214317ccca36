package dev.sextant.ingest;

import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.AckStatus;
import dev.sextant.protocol.pipeline.v1.Credit;
import dev.sextant.protocol.pipeline.v1.MetricPipeline;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.protocol.pipeline.v1.WriteResponse;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.List;

/**
 * The aggregator's end of the metric stream, served by the test's own gRPC server: grants a window
 * of credits when a stream opens, records every batch, and acks it, unless told to stall (hold the
 * acks), to answer RETRYABLE or INVALID, to reject some points, or to break its streams. It checks
 * the one rule a sender must keep: never more batches unacknowledged than granted. Points sent as
 * series refs (ADR 0015) are resolved per stream as the aggregator does, so {@link
 * Control#received()} holds whole points; {@link Control#wire()} holds the batches as sent.
 */
@GrpcService
public class FakeAggregator implements MetricPipeline {
  public static final Control CONTROL = new Control();

  @Override
  public Multi<WriteResponse> write(Multi<WriteRequest> requests) {
    return Multi.createFrom().emitter(emitter -> CONTROL.open(emitter, requests));
  }

  /** What tests see and steer. */
  public static final class Control {
    public enum Mode {
      COMMIT,
      STALL,
      RETRYABLE,
      INVALID
    }

    private final List<Stream> streams = new ArrayList<>();
    private final List<WriteRequest> received = new ArrayList<>();
    private final List<WriteRequest> wire = new ArrayList<>();
    private Mode mode = Mode.COMMIT;
    private int window = 2;
    private int rejectPoints;
    private int maxUnacked;
    private int creditViolations;

    private final class Stream {
      final MultiEmitter<? super WriteResponse> emitter;
      final List<WriteRequest> held = new ArrayList<>();
      final StreamDictionary seriesRefs = new StreamDictionary();
      int unacked;

      Stream(MultiEmitter<? super WriteResponse> emitter) {
        this.emitter = emitter;
      }
    }

    synchronized void open(
        MultiEmitter<? super WriteResponse> emitter, Multi<WriteRequest> requests) {
      Stream stream = new Stream(emitter);
      streams.add(stream);
      emitter.emit(
          WriteResponse.newBuilder().setCredit(Credit.newBuilder().setBatches(window)).build());
      requests
          .subscribe()
          .with(
              request -> onRequest(stream, request),
              failure -> closed(stream),
              () -> {
                closed(stream);
                emitter.complete();
              });
    }

    private synchronized void closed(Stream stream) {
      streams.remove(stream);
    }

    private synchronized void onRequest(Stream stream, WriteRequest request) {
      wire.add(request);
      received.add(stream.seriesRefs.resolve(request));
      stream.unacked++;
      maxUnacked = Math.max(maxUnacked, stream.unacked);
      if (stream.unacked > window) {
        creditViolations++;
      }
      switch (mode) {
        case COMMIT -> ack(stream, request, AckStatus.ACK_STATUS_COMMITTED);
        case STALL -> stream.held.add(request);
        case RETRYABLE -> ack(stream, request, AckStatus.ACK_STATUS_RETRYABLE);
        case INVALID -> ack(stream, request, AckStatus.ACK_STATUS_INVALID);
      }
    }

    private void ack(Stream stream, WriteRequest request, AckStatus status) {
      stream.unacked--;
      int rejected =
          status == AckStatus.ACK_STATUS_COMMITTED
              ? Math.min(rejectPoints, request.getPointsCount())
              : 0;
      stream.emitter.emit(
          WriteResponse.newBuilder()
              .setAck(
                  Ack.newBuilder()
                      .setBatchId(request.getBatchId())
                      .setStatus(status)
                      .setRejectedPoints(rejected)
                      .setErrorMessage(
                          switch (status) {
                            case ACK_STATUS_COMMITTED -> rejected > 0 ? "fake: series limit" : "";
                            case ACK_STATUS_RETRYABLE -> "fake: store busy";
                            default -> "fake: invalid batch";
                          }))
              .build());
    }

    public synchronized void mode(Mode mode) {
      this.mode = mode;
    }

    public synchronized void rejectPoints(int points) {
      this.rejectPoints = points;
    }

    /** Acks every held batch as committed, and commits from now on. */
    public synchronized void release() {
      mode = Mode.COMMIT;
      for (Stream stream : streams) {
        for (WriteRequest request : stream.held) {
          ack(stream, request, AckStatus.ACK_STATUS_COMMITTED);
        }
        stream.held.clear();
      }
    }

    /** Fails every open stream, as a crashing aggregator would. */
    public synchronized void breakStreams() {
      for (Stream stream : List.copyOf(streams)) {
        stream.emitter.fail(
            Status.UNAVAILABLE.withDescription("fake aggregator went away").asRuntimeException());
      }
      streams.clear();
    }

    /** The batches received, series refs resolved. */
    public synchronized List<WriteRequest> received() {
      return List.copyOf(received);
    }

    /** The batches as they came over the stream. */
    public synchronized List<WriteRequest> wire() {
      return List.copyOf(wire);
    }

    public synchronized int window() {
      return window;
    }

    public synchronized int maxUnacked() {
      return maxUnacked;
    }

    public synchronized int creditViolations() {
      return creditViolations;
    }

    public synchronized int held() {
      return streams.stream().mapToInt(s -> s.held.size()).sum();
    }

    /** Back to committing everything, nothing held, counters cleared. */
    public synchronized void reset() {
      release();
      rejectPoints = 0;
      received.clear();
      wire.clear();
      maxUnacked = 0;
      creditViolations = 0;
    }
  }
}
