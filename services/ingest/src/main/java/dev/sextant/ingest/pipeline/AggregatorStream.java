package dev.sextant.ingest.pipeline;

import dev.sextant.ingest.IngestConfig;
import dev.sextant.protocol.pipeline.v1.MetricPipelineGrpc;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.protocol.pipeline.v1.WriteResponse;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One metric stream to one aggregator (shard): one long-lived bidi {@code MetricPipeline.Write}
 * call, with credit-based flow control (DESIGN §2.3). {@link MetricPipelineClient} keeps one per
 * aggregator shard and routes points to them.
 *
 * <p>The quarkus-grpc client would buffer without limit, so the credit window is what bounds
 * memory: never more batches unacknowledged than the aggregator granted; the rest wait in a bounded
 * queue, and when that is full a batch is refused as overloaded. When the stream breaks, every
 * batch in flight or queued fails as unavailable (never as success), the credits go back to zero,
 * and the stream reconnects with exponential backoff; while there is no stream, batches are
 * answered unavailable at once. A batch not acknowledged within the ack timeout fails as
 * unavailable and resets the stream (the aggregator is stuck); the client's retry is safe, as
 * samples are idempotent by series and time.
 *
 * <p>Each stream has its own half of the series dictionary ({@link StreamRefs}): a series' first
 * point on this stream carries its definition, whatever other streams carry.
 *
 * <p>All state is guarded by one lock; outcomes are completed outside it.
 */
final class AggregatorStream {
  private static final Logger LOG = Logger.getLogger(AggregatorStream.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Channel channel;
  private final Vertx vertx;
  private final IngestConfig.Pipeline config;
  private final Optional<String> apiKey;

  /** Which aggregator, in log lines: "the aggregator", or "aggregator shard N (target)". */
  private final String peer;

  private final Object lock = new Object();
  private final CreditWindow window = new CreditWindow();
  private final ArrayDeque<PendingBatch> queue = new ArrayDeque<>();
  private final Map<Long, PendingBatch> inFlight = new HashMap<>();
  private final AtomicLong nextBatchId = new AtomicLong(1);
  private long generations;
  private StreamHandler stream;
  private LinkState state = LinkState.DOWN;
  private String lastError = "not connected yet";
  private long backoffMillis;
  private boolean stopped;

  AggregatorStream(
      Channel channel,
      Vertx vertx,
      IngestConfig.Pipeline config,
      Optional<String> apiKey,
      String peer) {
    this.channel = channel;
    this.vertx = vertx;
    this.config = config;
    this.apiKey = apiKey;
    this.peer = peer;
    this.backoffMillis = config.reconnectInitialBackoff().toMillis();
  }

  void start() {
    connect();
  }

  void stop(String reason) {
    List<PendingBatch> failed;
    synchronized (lock) {
      stopped = true;
      failed = breakStream(reason);
    }
    fail(failed, reason);
  }

  /**
   * Queues the points in batches for the stream; each outcome completes once its batch was
   * acknowledged, or failed (overloaded, unavailable, refused).
   */
  List<CompletableFuture<BatchOutcome>> submit(
      String tenant, List<StreamPoint> points, boolean additive) {
    int size = Math.max(1, config.maxPointsPerBatch());
    List<List<StreamPoint>> batches = new ArrayList<>();
    for (int from = 0; from < points.size(); from += size) {
      batches.add(points.subList(from, Math.min(points.size(), from + size)));
    }
    List<PendingBatch> pending = submitBatches(tenant, batches, additive);
    List<CompletableFuture<BatchOutcome>> outcomes = new ArrayList<>(pending.size());
    for (PendingBatch batch : pending) {
      outcomes.add(batch.outcome);
    }
    return outcomes;
  }

  /** The stream's state, credits, pending acks and queue, for health and metrics. */
  LinkStatus status() {
    synchronized (lock) {
      return new LinkStatus(state, window.granted(), window.inFlight(), queue.size(), lastError);
    }
  }

  private List<PendingBatch> submitBatches(
      String tenant, List<List<StreamPoint>> batches, boolean additive) {
    List<PendingBatch> pending = new ArrayList<>(batches.size());
    for (List<StreamPoint> points : batches) {
      pending.add(new PendingBatch(nextBatchId.getAndIncrement(), tenant, additive, points));
    }
    synchronized (lock) {
      if (state != LinkState.READY) {
        String reason = "no metric stream to " + peer + " (" + state + ": " + lastError + ")";
        pending.forEach(b -> b.outcome.complete(BatchOutcome.unavailable(reason)));
        return pending;
      }
      long sendable = queue.isEmpty() ? Math.min(window.available(), batches.size()) : 0;
      if (queue.size() + batches.size() - sendable > config.queueCapacity()) {
        String reason =
            "the metric pipeline is full: "
                + queue.size()
                + " batches wait for aggregator credits; retry later";
        pending.forEach(b -> b.outcome.complete(BatchOutcome.overloaded(reason)));
        return pending;
      }
      long timeoutMillis = Math.max(1, config.ackTimeout().toMillis());
      for (PendingBatch batch : pending) {
        queue.add(batch);
        batch.timerId = vertx.setTimer(timeoutMillis, id -> onTimeout(batch));
      }
      drain();
    }
    return pending;
  }

  /** Sends queued batches while there is credit. Under the lock. */
  private void drain() {
    while (!queue.isEmpty() && window.hasRoom() && stream != null && stream.requests != null) {
      PendingBatch batch = queue.poll();
      window.take();
      inFlight.put(batch.id(), batch);
      List<StreamPoint> points = batch.points;
      batch.points = null;
      stream.requests.onNext(stream.refs.encode(batch.id(), batch.tenant, batch.additive, points));
    }
  }

  private void connect() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      state = LinkState.CONNECTING;
      stream = new StreamHandler(++generations);
      MetricPipelineGrpc.MetricPipelineStub stub = MetricPipelineGrpc.newStub(channel);
      if (apiKey.isPresent()) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + apiKey.get());
        stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      }
      // The stream outlives any request: started under the root context, it must not inherit the
      // cancellation of a gRPC call whose context is current on this thread (a finished export).
      MetricPipelineGrpc.MetricPipelineStub started = stub;
      StreamHandler handler = stream;
      Context.ROOT.run(() -> started.write(handler));
    }
  }

  private void onResponse(long generation, WriteResponse response) {
    List<Map.Entry<PendingBatch, BatchOutcome>> done = new ArrayList<>();
    synchronized (lock) {
      if (stream == null || stream.generation != generation) {
        return;
      }
      if (state != LinkState.READY) {
        LOG.infof("metric stream to %s is up", peer);
        state = LinkState.READY;
        lastError = "";
        backoffMillis = config.reconnectInitialBackoff().toMillis();
      }
      switch (response.getKindCase()) {
        case CREDIT -> window.grant(response.getCredit().getBatches());
        case ACK -> {
          PendingBatch batch = inFlight.remove(response.getAck().getBatchId());
          if (batch == null) {
            LOG.warnf("ack for unknown batch %d ignored", response.getAck().getBatchId());
          } else {
            window.release();
            done.add(Map.entry(batch, BatchOutcome.of(response.getAck())));
          }
        }
        case KIND_NOT_SET -> LOG.debug("empty message on the metric stream ignored");
      }
      drain();
    }
    done.forEach(entry -> complete(entry.getKey(), entry.getValue()));
  }

  private void onBroken(long generation, String reason) {
    List<PendingBatch> failed;
    synchronized (lock) {
      if (stream == null || stream.generation != generation) {
        return;
      }
      failed = breakStream(reason);
    }
    fail(failed, "metric stream to " + peer + " broke: " + reason);
  }

  private void onTimeout(PendingBatch batch) {
    List<PendingBatch> failed = new ArrayList<>();
    String message;
    // Decided by where the batch is, not by its outcome: an export cancelled by its client still
    // holds a credit until the ack comes, or the stream is reset.
    synchronized (lock) {
      if (queue.remove(batch)) {
        message = "no aggregator credit within " + config.ackTimeout() + "; retry later";
        failed.add(batch);
      } else if (inFlight.get(batch.id()) == batch) {
        // Sent but not acknowledged: the aggregator is stuck, and its credit would stay taken.
        message = "batch not acknowledged by " + peer + " within " + config.ackTimeout();
        failed = breakStream(message);
      } else {
        return;
      }
    }
    fail(failed, message);
  }

  /**
   * Drops the current stream: returns every batch in flight or queued (to fail outside the lock),
   * resets the credits and schedules a reconnection. Under the lock.
   */
  private List<PendingBatch> breakStream(String reason) {
    List<PendingBatch> failed = new ArrayList<>(inFlight.values());
    failed.addAll(queue);
    inFlight.clear();
    queue.clear();
    window.reset();
    if (stream != null) {
      if (stream.requests != null) {
        stream.requests.cancel(reason, null);
      }
      stream = null;
    }
    if (state == LinkState.READY) {
      LOG.warnf("metric stream to %s is down: %s", peer, reason);
    } else {
      LOG.debugf("metric stream to %s not established: %s", peer, reason);
    }
    state = LinkState.DOWN;
    lastError = reason;
    if (!stopped) {
      long delay = backoffMillis;
      backoffMillis = Math.min(backoffMillis * 2, config.reconnectMaxBackoff().toMillis());
      vertx.setTimer(Math.max(1, delay), id -> connect());
    }
    return failed;
  }

  private void fail(List<PendingBatch> batches, String message) {
    BatchOutcome outcome = BatchOutcome.unavailable(message);
    batches.forEach(batch -> complete(batch, outcome));
  }

  private void complete(PendingBatch batch, BatchOutcome outcome) {
    if (batch.timerId >= 0) {
      vertx.cancelTimer(batch.timerId);
    }
    batch.outcome.complete(outcome);
  }

  /** The callbacks of one stream; a stale stream's callbacks are ignored by generation. */
  private final class StreamHandler implements ClientResponseObserver<WriteRequest, WriteResponse> {
    final long generation;
    // Starts empty with the stream, as the aggregator's side does; used under the lock.
    final StreamRefs refs = new StreamRefs();
    volatile ClientCallStreamObserver<WriteRequest> requests;

    StreamHandler(long generation) {
      this.generation = generation;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WriteRequest> requestStream) {
      this.requests = requestStream;
    }

    @Override
    public void onNext(WriteResponse response) {
      onResponse(generation, response);
    }

    @Override
    public void onError(Throwable failure) {
      onBroken(generation, String.valueOf(failure.getMessage()));
    }

    @Override
    public void onCompleted() {
      onBroken(generation, peer + " closed the stream");
    }
  }
}
