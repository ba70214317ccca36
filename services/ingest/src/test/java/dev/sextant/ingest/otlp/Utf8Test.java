package dev.sextant.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

  @Test
  void lengthCountsUtf8Bytes() {
    String s = "aé€😀"; // 1 + 2 + 3 + 4 bytes
    assertThat(Utf8.length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length).isEqualTo(10);
  }

  @Test
  void lengthAgreesWithTheEncoderOnRandomText() {
    java.util.Random random = new java.util.Random(42);
    int[] ranges = {0x7f, 0x7ff, 0xd7ff, 0x10ffff};
    for (int round = 0; round < 2_000; round++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(40); i > 0; i--) {
        int codePoint = random.nextInt(ranges[random.nextInt(ranges.length)] + 1);
        if (codePoint < 0xd800 || codePoint > 0xdfff) {
          text.appendCodePoint(codePoint);
        }
      }
      String s = text.toString();
      assertThat(Utf8.length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void anUnpairedSurrogateCountsThreeBytesAsItsEncodedForm() {
    assertThat(Utf8.length("a\ud800b")).isEqualTo(5);
    assertThat(Utf8.length("\udc00")).isEqualTo(3);
  }

  @Test
  void truncateNeverSplitsACharacter() {
    String s = "aé€😀b";
    assertThat(Utf8.truncate(s, 100)).isSameAs(s);
    assertThat(Utf8.truncate(s, 1)).isEqualTo("a");
    assertThat(Utf8.truncate(s, 2)).isEqualTo("a"); // é needs 2 more
    assertThat(Utf8.truncate(s, 3)).isEqualTo("aé");
    assertThat(Utf8.truncate(s, 5)).isEqualTo("aé");
    assertThat(Utf8.truncate(s, 6)).isEqualTo("aé€");
    assertThat(Utf8.truncate(s, 9)).isEqualTo("aé€"); // the emoji's pair stays whole
    assertThat(Utf8.truncate(s, 10)).isEqualTo("aé€😀");
    assertThat(Utf8.truncate(s, 0)).isEmpty();
  }

  @Test
  void truncatedTextFitsTheLimitForEveryCut() {
    String s = "日本語テキスト😀mixed ascii é".repeat(20);
    for (int max = 0; max < 200; max++) {
      String cut = Utf8.truncate(s, max);
      assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(max);
      assertThat(s).startsWith(cut);
      assertThat(Utf8.truncate(s, max + 4).length()).isGreaterThan(cut.length());
    }
  }
}
