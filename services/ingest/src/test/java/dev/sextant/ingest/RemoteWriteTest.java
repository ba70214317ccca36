package dev.sextant.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sextant.ingest.pipeline.LinkState;
import dev.sextant.ingest.pipeline.MetricPipelineClient;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import dev.sextant.protocol.prometheus.Label;
import dev.sextant.protocol.prometheus.Sample;
import dev.sextant.protocol.prometheus.TimeSeries;
import dev.sextant.protocol.prometheus.WriteRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote write on {@code POST /api/v1/write}: samples become untyped points on the
 * metric stream, bit for bit; answers follow the remote-write specification; malformed, oversized
 * and hostile bodies are refused with clear 4xx answers, never a 500 or a success.
 */
@QuarkusTest
class RemoteWriteTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final long STALE_BITS = 0x7ff0000000000002L;

  /** {@code %test.sextant.ingest.max-request-bytes}. */
  private static final int MAX_BYTES = 1_048_576;

  @Inject MetricPipelineClient pipeline;

  @BeforeEach
  void streamIsUp() {
    FakeAggregator.CONTROL.reset();
    await().atMost(WAIT).until(() -> pipeline.status().state() == LinkState.READY);
  }

  @AfterEach
  void reset() {
    FakeAggregator.CONTROL.reset();
  }

  static TimeSeries.Builder series(String... labels) {
    TimeSeries.Builder ts = TimeSeries.newBuilder();
    for (int i = 0; i < labels.length; i += 2) {
      ts.addLabels(Label.newBuilder().setName(labels[i]).setValue(labels[i + 1]));
    }
    return ts;
  }

  static Sample sample(long ms, double value) {
    return Sample.newBuilder().setTimestamp(ms).setValue(value).build();
  }

  static byte[] snappy(byte[] raw) {
    try {
      return Snappy.compress(raw);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Response post(byte[] body) {
    return given()
        .contentType("application/x-protobuf")
        .header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .body(body)
        .post("/api/v1/write");
  }

  static Response post(WriteRequest request) {
    return post(snappy(request.toByteArray()));
  }

  private static long nowMs() {
    return System.currentTimeMillis();
  }

  private static List<MetricPoint> received() {
    return FakeAggregator.CONTROL.received().stream()
        .flatMap(r -> r.getPointsList().stream())
        .toList();
  }

  @Test
  void samplesBecomeUntypedPointsBitForBitAndTheAnswerIs204() {
    long t = nowMs() - 60_000;
    WriteRequest request =
        WriteRequest.newBuilder()
            .addTimeseries(
                series("__name__", "http_requests_total", "job", "api", "empty", "")
                    .addSamples(sample(t, 1))
                    .addSamples(sample(t + 15_000, Double.longBitsToDouble(STALE_BITS)))
                    .addSamples(sample(t + 30_000, Double.NaN))
                    .addSamples(sample(t + 45_000, Double.NEGATIVE_INFINITY)))
            .build();
    Response response = post(request);
    assertThat(response.statusCode()).isEqualTo(204);
    List<MetricPoint> points = received();
    assertThat(points).hasSize(4);
    MetricPoint first = points.get(0);
    assertThat(first.getName()).isEqualTo("http_requests_total");
    assertThat(first.getType()).isEqualTo(MetricType.METRIC_TYPE_UNKNOWN);
    assertThat(first.getTemporality()).isEqualTo(Temporality.TEMPORALITY_NONE);
    assertThat(first.getLabelsList())
        .extracting(l -> l.getName() + "=" + l.getValue())
        .containsExactly("job=api");
    assertThat(first.getTimeUnixNano()).isEqualTo(t * 1_000_000L);
    assertThat(Double.doubleToRawLongBits(points.get(1).getNumber())).isEqualTo(STALE_BITS);
    assertThat(points.get(2).getNumber()).isNaN();
    assertThat(points.get(3).getNumber()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void refusedSamplesAreA400NamingThemWhileTheOthersAreStored() {
    long t = nowMs() - 60_000;
    WriteRequest request =
        WriteRequest.newBuilder()
            .addTimeseries(series("__name__", "ok").addSamples(sample(t, 1)))
            .addTimeseries(series("job", "no-name").addSamples(sample(t, 1)))
            .addTimeseries(series("__name__", "dup", "a", "1", "a", "2").addSamples(sample(t, 1)))
            .addTimeseries(series("__name__", "old").addSamples(sample(0, 1)))
            .addTimeseries(series("__name__", "future").addSamples(sample(t + 3 * 3_600_000L, 1)))
            .addTimeseries(
                series("__name__", "native").addHistograms(ByteString.copyFromUtf8("\u0008\u0001")))
            .build();
    Response response = post(request);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body().asString())
        .contains("rejected 5 data points")
        .contains("missing_metric_name x1")
        .contains("invalid_labels x1")
        .contains("time_out_of_range x1")
        .contains("time_in_future x1")
        .contains("unsupported_metric_type x1");
    assertThat(received()).extracting(MetricPoint::getName).containsExactly("ok");
  }

  @Test
  void malformedBodiesAre400WithAClearMessage() {
    Response notSnappy = post("definitely not snappy".getBytes());
    assertThat(notSnappy.statusCode()).isEqualTo(400);
    assertThat(notSnappy.body().asString()).contains("malformed snappy block");

    Response notProtobuf = post(snappy(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}));
    assertThat(notProtobuf.statusCode()).isEqualTo(400);
    assertThat(notProtobuf.body().asString()).contains("malformed protobuf");

    byte[] valid =
        snappy(
            WriteRequest.newBuilder().addTimeseries(series("__name__", "x")).build().toByteArray());
    Response truncated = post(java.util.Arrays.copyOf(valid, valid.length / 2));
    assertThat(truncated.statusCode()).isEqualTo(400);
    assertThat(received()).isEmpty();
  }

  @Test
  void oversizedAndHostileBodiesAreRefusedBeforeTheyAreInflated() {
    // A small body that inflates past the limit (a snappy bomb).
    Response bomb = post(snappy(new byte[MAX_BYTES + 1]));
    assertThat(bomb.statusCode()).isEqualTo(413);
    assertThat(bomb.body().asString()).contains("larger than " + MAX_BYTES);

    // A header claiming 2^32-1 bytes ahead of a few bytes of data.
    Response lying =
        post(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0, 1});
    assertThat(lying.statusCode()).isIn(400, 413);

    // Random garbage of every size, as a fuzzer would send: never a 5xx, never stored.
    Random random = new Random(7);
    for (int i = 0; i < 50; i++) {
      byte[] junk = new byte[1 + random.nextInt(4096)];
      random.nextBytes(junk);
      assertThat(post(junk).statusCode()).isBetween(400, 499);
    }

    // Too large as sent.
    byte[] big = new byte[MAX_BYTES + 10];
    random.nextBytes(big);
    assertThat(post(big).statusCode()).isEqualTo(413);
    assertThat(received()).isEmpty();
  }

  @Test
  void otherEncodingsAndRemoteWrite2AreUnsupportedMediaTypes() {
    byte[] body = snappy(WriteRequest.getDefaultInstance().toByteArray());
    assertThat(
            given()
                .contentType("application/x-protobuf")
                .header("Content-Encoding", "gzip")
                .body(body)
                .post("/api/v1/write")
                .statusCode())
        .isEqualTo(415);
    assertThat(
            given()
                .contentType("application/json")
                .header("Content-Encoding", "snappy")
                .body(body)
                .post("/api/v1/write")
                .statusCode())
        .isEqualTo(415);
    assertThat(
            given()
                .contentType("application/x-protobuf;proto=io.prometheus.write.v2.Request")
                .header("Content-Encoding", "snappy")
                .body(body)
                .post("/api/v1/write")
                .statusCode())
        .isEqualTo(415);
    assertThat(post(body).statusCode()).isEqualTo(204);
  }

  @Test
  void anUnavailableAggregatorIs503WithRetryAfter() {
    FakeAggregator.CONTROL.mode(FakeAggregator.Control.Mode.RETRYABLE);
    Response response =
        post(
            WriteRequest.newBuilder()
                .addTimeseries(series("__name__", "r").addSamples(sample(nowMs(), 1)))
                .build());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.header("Retry-After")).isEqualTo("1");
  }
}
