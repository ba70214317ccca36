package dev.sextant.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.service.errors.Failures;
import dev.sextant.service.errors.RejectedRequestException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class GzipTest {
  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void inflatesWithinTheLimit() throws IOException {
    byte[] data = "hello ".repeat(1000).getBytes();
    assertThat(Gzip.inflate(gzip(data), data.length)).isEqualTo(data);
  }

  @Test
  void aBombIsRefusedAsTooLargeWhileInflating() throws IOException {
    byte[] bomb = gzip(new byte[64 * 1024 * 1024]); // 64 MiB of zeros, ~64 KiB compressed
    assertThat(bomb.length).isLessThan(100_000);
    assertThatThrownBy(() -> Gzip.inflate(bomb, 1024 * 1024))
        .isInstanceOfSatisfying(HttpRejection.class, e -> assertThat(e.status()).isEqualTo(413));
  }

  @Test
  void malformedGzipIsBadInput() throws IOException {
    byte[] truncated = java.util.Arrays.copyOf(gzip("abc".repeat(100).getBytes()), 15);
    for (byte[] body : new byte[][] {"not gzip".getBytes(), new byte[0], truncated}) {
      assertThatThrownBy(() -> Gzip.inflate(body, 1000))
          .isInstanceOfSatisfying(
              RejectedRequestException.class,
              e -> assertThat(e.kind()).isEqualTo(Failures.Kind.BAD_INPUT));
    }
  }
}
