package dev.sextant.ingest.pipeline;

import dev.sextant.ingest.StreamDictionary;
import dev.sextant.model.SeriesShards;
import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.AckStatus;
import dev.sextant.protocol.pipeline.v1.Credit;
import dev.sextant.protocol.pipeline.v1.MetricPipelineGrpc;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.protocol.pipeline.v1.WriteResponse;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One aggregator shard on a gRPC server of its own (a free loopback port): it resolves each
 * stream's series refs as the aggregator does, and commits a batch only if it owns every metric in
 * it under the shard count it believes ({@link SeriesShards}); otherwise it answers {@code
 * NOT_OWNER} and stores nothing, as the aggregator's gate does. It can hold its acks. Committed
 * samples are kept by series and time, as a store keeps them, and counted per sample.
 */
final class ShardFake implements AutoCloseable {
  /** A stored sample's key: a retry of it is stored once. */
  record Sample(String tenant, String metric, List<String> labels, long time) {}

  private final int index;
  private final Server server;
  private int count;
  private boolean hold;
  private final List<Runnable> held = new ArrayList<>();
  private final Map<Sample, Integer> commits = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private int notOwner;

  ShardFake(int index, int count) throws IOException {
    this.index = index;
    this.count = count;
    this.server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(service())
            .build()
            .start();
  }

  String target() {
    return "localhost:" + server.getPort();
  }

  /** The shard count this shard writes by from now on. */
  synchronized void count(int count) {
    this.count = count;
  }

  synchronized void hold(boolean hold) {
    this.hold = hold;
  }

  /** Commits and acks the held batches. */
  synchronized void release() {
    hold = false;
    held.forEach(Runnable::run);
    held.clear();
  }

  synchronized int held() {
    return held.size();
  }

  /** Each sample stored, with how many times it was committed. */
  synchronized Map<Sample, Integer> commits() {
    return Map.copyOf(commits);
  }

  synchronized int notOwner() {
    return notOwner;
  }

  /** References to refs the stream never defined, and other protocol breaches. */
  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  /**
   * The service, bound by hand: a subclass of the generated base would be taken by Quarkus for a
   * service of the test application's own gRPC server, in place of {@code FakeAggregator}.
   */
  private ServerServiceDefinition service() {
    return ServerServiceDefinition.builder(MetricPipelineGrpc.SERVICE_NAME)
        .addMethod(
            MetricPipelineGrpc.getWriteMethod(), ServerCalls.asyncBidiStreamingCall(this::open))
        .build();
  }

  private StreamObserver<WriteRequest> open(StreamObserver<WriteResponse> responses) {
    StreamDictionary dictionary = new StreamDictionary();
    synchronized (this) {
      responses.onNext(
          WriteResponse.newBuilder().setCredit(Credit.newBuilder().setBatches(8)).build());
    }
    return new StreamObserver<>() {
      @Override
      public void onNext(WriteRequest request) {
        synchronized (ShardFake.this) {
          received(dictionary, request, responses);
        }
      }

      @Override
      public void onError(Throwable failure) {}

      @Override
      public void onCompleted() {
        synchronized (ShardFake.this) {
          responses.onCompleted();
        }
      }
    };
  }

  private void received(
      StreamDictionary dictionary, WriteRequest request, StreamObserver<WriteResponse> responses) {
    WriteRequest resolved;
    try {
      resolved = dictionary.resolve(request);
    } catch (AssertionError e) {
      problems.add("shard " + index + ": " + e.getMessage());
      ack(responses, request, AckStatus.ACK_STATUS_INVALID);
      return;
    }
    for (MetricPoint point : resolved.getPointsList()) {
      if (SeriesShards.owner(resolved.getTenant(), point.getName(), count) != index) {
        notOwner++;
        ack(responses, request, AckStatus.ACK_STATUS_NOT_OWNER);
        return;
      }
    }
    Runnable commit =
        () -> {
          for (MetricPoint point : resolved.getPointsList()) {
            List<String> labels = new ArrayList<>();
            point.getLabelsList().forEach(l -> labels.add(l.getName() + "=" + l.getValue()));
            commits.merge(
                new Sample(resolved.getTenant(), point.getName(), labels, point.getTimeUnixNano()),
                1,
                Integer::sum);
          }
          ack(responses, request, AckStatus.ACK_STATUS_COMMITTED);
        };
    if (hold) {
      held.add(commit);
    } else {
      commit.run();
    }
  }

  private void ack(
      StreamObserver<WriteResponse> responses, WriteRequest request, AckStatus status) {
    Ack.Builder ack = Ack.newBuilder().setBatchId(request.getBatchId()).setStatus(status);
    if (status == AckStatus.ACK_STATUS_NOT_OWNER) {
      ack.setShardCount(count).setErrorMessage("not_owner: fake shard " + index + " of " + count);
    }
    responses.onNext(WriteResponse.newBuilder().setAck(ack).build());
  }
}
