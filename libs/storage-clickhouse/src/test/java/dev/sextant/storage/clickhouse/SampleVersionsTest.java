package dev.sextant.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SampleVersionsTest {
  private static final long T = 1_767_225_603_000_000_123L; // 3 s into a 10 s window

  @Test
  void batchesOfOneProcessGrowByOneWithinAWindowAndJumpToTheNext() {
    AtomicLong clock = new AtomicLong(T);
    SampleVersions versions = new SampleVersions(clock::get);
    assertThat(versions.next()).isEqualTo(T);
    clock.addAndGet(5_000_000_000L);
    assertThat(versions.next()).isEqualTo(T + 1);
    assertThat(versions.next()).isEqualTo(T + 2);
    clock.addAndGet(5_000_000_000L); // into the next window
    assertThat(versions.next()).isEqualTo(1_767_225_610_000_000_000L);
    assertThat(versions.next()).isEqualTo(1_767_225_610_000_000_001L);
  }

  @Test
  void aClockThatGoesBackDoesNotTakeVersionsBack() {
    AtomicLong clock = new AtomicLong(T);
    SampleVersions versions = new SampleVersions(clock::get);
    long first = versions.next();
    clock.addAndGet(-60_000_000_000L);
    assertThat(versions.next()).isEqualTo(first + 1);
  }

  @Test
  void aProcessStartedLaterBeginsAboveEveryVersionOfAnEarlierOne() {
    AtomicLong clock = new AtomicLong(T);
    SampleVersions earlier = new SampleVersions(clock::get);
    long last = 0;
    for (int batch = 0; batch < 1_000; batch++) {
      clock.addAndGet(1_000); // batches at least a microsecond apart
      last = earlier.next();
    }
    clock.addAndGet(1);
    assertThat(new SampleVersions(clock::get).next()).isGreaterThan(last);
  }

  @Test
  void consecutiveRowsOfASeriesDifferByANearlyConstantAmount() {
    // A series in every 20th batch of a steady stream, 33 ms apart: its versions step by 20 within
    // a window, which is what makes the column nearly free after Delta and ZSTD.
    AtomicLong clock = new AtomicLong(T);
    SampleVersions versions = new SampleVersions(clock::get);
    long previous = -1;
    int steps = 0;
    int twenty = 0;
    for (int batch = 0; batch < 3_000; batch++) {
      clock.addAndGet(33_000_000L);
      long version = versions.next();
      if (batch % 20 == 0) {
        if (previous >= 0) {
          steps++;
          twenty += version - previous == 20 ? 1 : 0;
        }
        previous = version;
      }
    }
    assertThat(twenty).isGreaterThan(steps * 9 / 10);
  }
}
