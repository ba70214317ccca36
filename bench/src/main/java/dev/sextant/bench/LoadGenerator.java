package dev.sextant.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sends OTLP over gRPC at a chosen rate with a bounded number of requests in flight, and reports
 * the sustained acknowledged throughput and the latency from send to acknowledgement. Ingest
 * acknowledges only after commit, so acknowledged records are stored records.
 */
public final class LoadGenerator {
  private static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final BenchOptions options;
  private final RequestFactory requests;
  private final Semaphore inFlight;
  private final Recorder latency = new Recorder(3);
  private final Histogram totalLatency = new Histogram(3);
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
  private final List<String> sampledTraceIds = new ArrayList<>();
  private final RssWatcher rss = new RssWatcher();
  private long tracesSeen;

  private LoadGenerator(BenchOptions options) {
    this.options = options;
    this.requests = new RequestFactory(options);
    this.inFlight = new Semaphore(options.concurrency());
  }

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("sextant bench: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    new LoadGenerator(options).run();
  }

  /** A call unanswered this long counts as DEADLINE_EXCEEDED, so the run always ends. */
  private static final long CALL_DEADLINE_SECONDS = 30;

  private void run() throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(options.target())
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .build();
    Metadata headers = new Metadata();
    if (options.apiKey() != null) {
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + options.apiKey());
    }
    var auth = MetadataUtils.newAttachHeadersInterceptor(headers);
    var traces = TraceServiceGrpc.newFutureStub(channel).withInterceptors(auth);
    var logs = LogsServiceGrpc.newFutureStub(channel).withInterceptors(auth);
    var metrics = MetricsServiceGrpc.newFutureStub(channel).withInterceptors(auth);

    System.out.printf(
        "sending %s to %s: rate %s/s, batch %d, concurrency %d, %d attributes%n",
        options.signal().name().toLowerCase(),
        options.target(),
        options.rate() == 0 ? "unlimited" : options.rate(),
        options.batch(),
        options.concurrency(),
        options.attributes());
    long start = System.nanoTime();
    long deadline = start + options.duration().toNanos();
    long interval =
        options.rate() == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) * options.batch() / options.rate();
    long nextSend = start;
    long nextReport = start + REPORT_EVERY_NANOS;
    long lastAcked = 0;
    long sent = 0;
    while (System.nanoTime() < deadline && sent < options.total()) {
      if (interval > 0) {
        long wait = nextSend - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        nextSend += interval;
      }
      inFlight.acquire();
      long sentAt = System.nanoTime();
      // Lookups pick among traces ingest acknowledged: a refused request stored nothing.
      List<String> traceIds = new ArrayList<>();
      ListenableFuture<?> call =
          switch (options.signal()) {
            case TRACES ->
                traces
                    .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .export(requests.traces(traceIds::add));
            case LOGS ->
                logs.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .export(requests.logs());
            case METRICS ->
                metrics
                    .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .export(requests.metrics());
          };
      Futures.addCallback(call, new Completion(sentAt, traceIds), MoreExecutors.directExecutor());
      sent += options.batch();
      long now = System.nanoTime();
      if (now >= nextReport) {
        long ackedNow = acked.get();
        report(now - start, (ackedNow - lastAcked) * 1e9 / (REPORT_EVERY_NANOS + now - nextReport));
        lastAcked = ackedNow;
        nextReport = now + REPORT_EVERY_NANOS;
      }
    }
    inFlight.acquire(options.concurrency()); // every request answered
    long elapsed = System.nanoTime() - start;
    rss.sample();
    summary(elapsed);
    channel.shutdown().awaitTermination(10, TimeUnit.SECONDS);
    if (options.lookups() > 0 && options.queryUrl() != null && !sampledTraceIds.isEmpty()) {
      lookups();
    }
  }

  private synchronized void sample(String traceId) {
    // Reservoir sampling keeps an unbiased sample of 10,000 trace ids for lookups.
    tracesSeen++;
    if (sampledTraceIds.size() < 10_000) {
      sampledTraceIds.add(traceId);
    } else {
      long slot = ThreadLocalRandom.current().nextLong(tracesSeen);
      if (slot < 10_000) {
        sampledTraceIds.set((int) slot, traceId);
      }
    }
  }

  private final class Completion implements FutureCallback<Object> {
    private final long sentAt;
    private final List<String> traceIds;

    Completion(long sentAt, List<String> traceIds) {
      this.sentAt = sentAt;
      this.traceIds = traceIds;
    }

    @Override
    public void onSuccess(Object response) {
      latency.recordValue(Math.max(1, (System.nanoTime() - sentAt) / 1000));
      long rejectedHere = PartialSuccess.rejected(response);
      if (rejectedHere == 0) {
        traceIds.forEach(LoadGenerator.this::sample);
      }
      rejected.addAndGet(rejectedHere);
      acked.addAndGet(options.batch() - rejectedHere);
      inFlight.release();
    }

    @Override
    public void onFailure(Throwable failure) {
      errors
          .computeIfAbsent(Status.fromThrowable(failure).getCode().name(), k -> new AtomicLong())
          .incrementAndGet();
      inFlight.release();
    }
  }

  private void report(long elapsedNanos, double rate) {
    Histogram interval = latency.getIntervalHistogram();
    totalLatency.add(interval);
    rss.sample();
    System.out.printf(
        "%5.0fs  acked %,10d  %,9.0f/s  latency p50 %6.1f ms  p99 %7.1f ms  errors %s  rss %s%n",
        elapsedNanos / 1e9,
        acked.get(),
        rate,
        interval.getValueAtPercentile(50) / 1000.0,
        interval.getValueAtPercentile(99) / 1000.0,
        errors,
        rss.current());
  }

  private void summary(long elapsedNanos) {
    totalLatency.add(latency.getIntervalHistogram());
    System.out.printf(
        "%nSUMMARY %s: %,d acknowledged in %.1f s = %,.0f/s sustained; rejected %,d; errors %s%n"
            + "  export latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n"
            + "  peak RSS per service: %s%n",
        options.signal().name().toLowerCase(),
        acked.get(),
        elapsedNanos / 1e9,
        acked.get() * 1e9 / elapsedNanos,
        rejected.get(),
        errors,
        totalLatency.getValueAtPercentile(50) / 1000.0,
        totalLatency.getValueAtPercentile(99) / 1000.0,
        totalLatency.getMaxValue() / 1000.0,
        rss.peaks());
  }

  /** Trace-by-id latency through the query service's REST API, one lookup at a time. */
  private void lookups() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Histogram histogram = new Histogram(3);
    int notFound = 0;
    for (int i = 0; i < options.lookups(); i++) {
      String traceId =
          sampledTraceIds.get(ThreadLocalRandom.current().nextInt(sampledTraceIds.size()));
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(options.queryUrl() + "/api/v1/traces/" + traceId));
      if (options.apiKey() != null) {
        request.header("Authorization", "Bearer " + options.apiKey());
      }
      long start = System.nanoTime();
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
      if (response.statusCode() != 200) {
        notFound++;
      }
    }
    System.out.printf(
        "LOOKUPS trace by id x%d: p50 %.1f ms, p99 %.1f ms, max %.1f ms; non-200 answers %d%n",
        options.lookups(),
        histogram.getValueAtPercentile(50) / 1000.0,
        histogram.getValueAtPercentile(99) / 1000.0,
        histogram.getMaxValue() / 1000.0,
        notFound);
  }
}
