package dev.sextant.e2e;

import com.google.protobuf.CodedOutputStream;
import dev.sextant.promql.storage.Series;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * A Prometheus remote-write 1.0 sender, as Prometheus sends: a {@code prometheus.WriteRequest}
 * encoded field by field (labels, then samples; values as raw IEEE bits, so staleness markers go
 * out unchanged), snappy block-compressed, POSTed with the protocol's headers. 429 and 5xx answers
 * are retried after their Retry-After, as the specification tells senders to.
 */
final class RemoteWriteClient {
  private static final int MAX_ATTEMPTS = 30;

  private final URI url;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  RemoteWriteClient(String baseUrl) {
    this.url = URI.create(baseUrl + "/api/v1/write");
  }

  /** Sends the samples {@code [from, to)} of each series in one request; returns its status. */
  int send(List<Series> series, int from, int to) throws Exception {
    byte[] body = Snappy.compress(encode(series, from, to));
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      boolean retry = status == 429 || status >= 500;
      if (!retry || attempt == MAX_ATTEMPTS) {
        if (status != 204) {
          throw new IllegalStateException(
              "remote write answered " + status + ": " + response.body());
        }
        return status;
      }
      long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
      Thread.sleep(Math.min(5, seconds) * 1000); // the server's own back-off hint
    }
  }

  /** A WriteRequest with the samples {@code [from, to)} of every series. */
  static byte[] encode(List<Series> series, int from, int to) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (Series s : series) {
      int end = Math.min(to, s.size());
      if (from >= end) {
        continue;
      }
      Map<String, String> labels = s.labels().asMap();
      int size = 0;
      for (Map.Entry<String, String> l : labels.entrySet()) {
        size += nested(1, labelSize(l.getKey(), l.getValue()));
      }
      for (int i = from; i < end; i++) {
        size += nested(2, sampleSize(s.timestamps()[i]));
      }
      out.writeTag(1, 2); // timeseries
      out.writeUInt32NoTag(size);
      for (Map.Entry<String, String> l : labels.entrySet()) {
        out.writeTag(1, 2);
        out.writeUInt32NoTag(labelSize(l.getKey(), l.getValue()));
        out.writeString(1, l.getKey());
        out.writeString(2, l.getValue());
      }
      for (int i = from; i < end; i++) {
        out.writeTag(2, 2);
        out.writeUInt32NoTag(sampleSize(s.timestamps()[i]));
        out.writeFixed64(1, Double.doubleToRawLongBits(s.values()[i]));
        out.writeInt64(2, s.timestamps()[i]);
      }
    }
    out.flush();
    return bytes.toByteArray();
  }

  private static int labelSize(String name, String value) {
    return CodedOutputStream.computeStringSize(1, name)
        + CodedOutputStream.computeStringSize(2, value);
  }

  private static int sampleSize(long timestamp) {
    return CodedOutputStream.computeFixed64Size(1, 0)
        + CodedOutputStream.computeInt64Size(2, timestamp);
  }

  private static int nested(int field, int size) {
    return CodedOutputStream.computeTagSize(field)
        + CodedOutputStream.computeUInt32SizeNoTag(size)
        + size;
  }
}
