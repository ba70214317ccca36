package dev.sextant.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Temporality;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.RandomSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Round trips of the metric store's encodings over random data of every kind. */
class MetricCodecsTest {
  private static final long T0 = Fixtures.T0;
  private static final long SECOND = 1_000_000_000L;

  @Test
  void bitStreamsReadBackWhatWasWritten() {
    SplittableRandom random = new SplittableRandom(1);
    BitOutput out = new BitOutput();
    List<long[]> written = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      int width = random.nextInt(0, 65);
      long value = random.nextLong();
      out.writeBits(value, width);
      written.add(new long[] {width, width == 64 ? value : value & ((1L << width) - 1)});
      long varint = random.nextLong() >>> random.nextInt(64);
      out.writeZigZag(varint);
      written.add(new long[] {-1, varint});
    }
    byte[] bytes = out.toBytes();
    BitInput in = new BitInput(bytes, 0, bytes.length);
    for (long[] w : written) {
      long actual = w[0] < 0 ? in.readZigZag() : in.readBits((int) w[0]);
      assertThat(actual).isEqualTo(w[1]);
    }
  }

  @Test
  void chunksOfEveryKindRoundTripExactly() {
    SplittableRandom random = new SplittableRandom(2);
    for (MetricType type : MetricType.values()) {
      for (int seed = 0; seed < 10; seed++) {
        long step = seed % 3 == 0 ? 15 * SECOND : seed % 3 == 1 ? 1_234_567 : 7;
        List<MetricPoint> points =
            new RandomSamples(seed).series(type, T0 + random.nextLong(SECOND), step, 300);
        int from = random.nextInt(points.size());
        List<MetricPoint> slice = points.subList(from, random.nextInt(from + 1, points.size() + 1));

        byte[] chunk = ChunkCodec.encode(slice);

        assertThat(ChunkCodec.decode(chunk, 0, chunk.length))
            .as("%s %d", type, seed)
            .isEqualTo(slice);
        assertThat(ChunkCodec.header(chunk, 0, chunk.length))
            .isEqualTo(
                new ChunkCodec.Header(
                    slice.size(),
                    slice.getFirst().timeUnixNanos(),
                    slice.getLast().timeUnixNanos()));
      }
    }
  }

  @Test
  void aChunkMayMixKindsAndExtremeTimes() {
    List<MetricPoint> mixed = new ArrayList<>();
    mixed.add(new NumberPoint(0, 0, 1));
    mixed.addAll(new RandomSamples(3).series(MetricType.HISTOGRAM, 5, 3, 4));
    mixed.add(new NumberPoint(Long.MAX_VALUE, Long.MAX_VALUE - 1, -0.0));
    mixed.add(new NumberPoint(-5, Long.MAX_VALUE, Double.NaN));
    byte[] withSummary = ChunkCodec.encode(mixed);

    assertThat(ChunkCodec.decode(withSummary, 0, withSummary.length)).isEqualTo(mixed);
    assertThat(ChunkCodec.decode(withSummary, 0, withSummary.length, 0, Long.MAX_VALUE))
        .isEqualTo(mixed);
    assertThat(ChunkCodec.decode(withSummary, 0, withSummary.length, 0, Long.MAX_VALUE - 1))
        .isEqualTo(mixed.subList(0, mixed.size() - 2));
  }

  @Test
  void aChunkDecodedForATimeRangeHoldsExactlyThePointsInIt() {
    SplittableRandom random = new SplittableRandom(4);
    List<MetricPoint> mixed = new ArrayList<>();
    for (MetricType type : MetricType.values()) {
      long start = mixed.isEmpty() ? T0 : mixed.getLast().timeUnixNanos() + SECOND;
      // Runs of each kind longer than a segment, so that segments start inside runs too.
      mixed.addAll(new RandomSamples(5).series(type, start, 15 * SECOND, 150));
    }
    byte[] chunk = ChunkCodec.encode(mixed);
    long first = mixed.getFirst().timeUnixNanos();
    long last = mixed.getLast().timeUnixNanos();
    List<Long> bounds = new ArrayList<>(List.of(Long.MIN_VALUE, first, first + 1, last, last + 1));
    for (int i = 0; i < ChunkCodec.SEGMENT_POINTS * 3; i += ChunkCodec.SEGMENT_POINTS) {
      long edge = mixed.get(i).timeUnixNanos();
      bounds.addAll(List.of(edge - 1, edge, edge + 1));
    }
    for (int i = 0; i < 100; i++) {
      bounds.add(random.nextLong(first - SECOND, last + 2 * SECOND));
    }
    for (long from : bounds) {
      for (long before :
          List.of(from, from + 1, from + 5 * 60 * SECOND, last + 1, Long.MAX_VALUE)) {
        List<MetricPoint> expected =
            mixed.stream()
                .filter(p -> p.timeUnixNanos() >= from && p.timeUnixNanos() < before)
                .toList();
        assertThat(ChunkCodec.decode(chunk, 0, chunk.length, from, before))
            .as("[%d, %d)", from, before)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void chunksOfTheFormatBeforeSegmentsAreStillRead() {
    // Format 1: the header, then one bit stream of runs (here one run of three numbers at
    // T0, T0+15s, T0+30s with values 1, 2, 3), as written before segments.
    List<MetricPoint> points =
        List.of(
            new NumberPoint(T0, T0, 1),
            new NumberPoint(T0, T0 + 15 * SECOND, 2),
            new NumberPoint(T0, T0 + 30 * SECOND, 3));
    ByteOutput out = new ByteOutput(64);
    out.writeByte(1);
    out.writeVarLong(points.size());
    out.writeLong(T0);
    out.writeVarLong(30 * SECOND);
    BitOutput bits = new BitOutput();
    bits.writeBits(0, 2); // numbers
    bits.writeVarLong(points.size());
    long[] times = points.stream().mapToLong(MetricPoint::timeUnixNanos).toArray();
    TimeCodec.write(bits, T0, times, new long[] {T0, T0, T0}, 0, times.length);
    XorCodec values = new XorCodec();
    for (double v : new double[] {1, 2, 3}) {
      values.write(bits, v);
    }
    byte[] stream = bits.toBytes();
    out.writeBytes(stream, 0, stream.length);
    byte[] chunk = out.toBytes();

    assertThat(ChunkCodec.decode(chunk, 0, chunk.length)).isEqualTo(points);
    assertThat(ChunkCodec.decode(chunk, 0, chunk.length, T0 + 1, T0 + 30 * SECOND))
        .containsExactly(points.get(1));
    assertThat(ChunkCodec.header(chunk, 0, chunk.length))
        .isEqualTo(new ChunkCodec.Header(3, T0, T0 + 30 * SECOND));
  }

  @Test
  void aRegularCounterTakesAboutTwoBytesPerPoint() {
    List<MetricPoint> counter = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      counter.add(new NumberPoint(T0, T0 + i * 15 * SECOND, 1000 + i * 3));
    }
    byte[] chunk = ChunkCodec.encode(counter);

    assertThat(chunk.length).isLessThan(2 * 120);
    byte[] padded = new byte[chunk.length + 7];
    System.arraycopy(chunk, 0, padded, 3, chunk.length);
    assertThat(ChunkCodec.decode(padded, 3, chunk.length)).isEqualTo(counter);
  }

  @Test
  void pagesFindEverySeriesTheyHoldAndNoOther() {
    SplittableRandom random = new SplittableRandom(4);
    long[] ids = random.longs(2000).sorted().distinct().toArray();
    SeriesPages.Writer writer = new SeriesPages.Writer();
    List<byte[]> payloads = new ArrayList<>();
    for (long id : ids) {
      byte[] payload = new byte[random.nextInt(0, random.nextInt(10) == 0 ? 3000 : 60)];
      random.nextBytes(payload);
      payloads.add(payload);
      writer.add(id, payload);
    }
    List<SeriesPages.Page> pages = writer.finish();

    assertThat(pages.size()).isBetween(ids.length / 40, ids.length / 5);
    int page = 0;
    for (int i = 0; i < ids.length; i++) {
      while (page + 1 < pages.size() && pages.get(page + 1).firstSeriesId() <= ids[i]) {
        page++;
      }
      SeriesPages.Slice slice = SeriesPages.read(pages.get(page).data()).find(ids[i]);
      byte[] found = new byte[slice.length()];
      System.arraycopy(slice.data(), slice.offset(), found, 0, slice.length());
      assertThat(found).isEqualTo(payloads.get(i));
      assertThat(SeriesPages.read(pages.get(page).data()).find(ids[i] + 1)).isNull();
    }
    assertThat(pages.getFirst().data().length).isLessThanOrEqualTo(SeriesPages.TARGET_BYTES + 3000);
    writer.add(5, new byte[0]); // a finished writer starts over
    assertThatThrownBy(() -> writer.add(4, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void walRecordsCarryPointsAndTheDefinitionsAsked() {
    MetricSeries counter =
        new MetricSeries(
            "acme",
            "requests_total",
            Labels.of("job", "api", "é", "漢字"),
            MetricType.COUNTER,
            Temporality.CUMULATIVE,
            "1",
            "Requests");
    MetricSeries gauge = Fixtures.series("other-tenant", "up", MetricType.GAUGE, "i", "1");
    List<MetricWrite> writes = new ArrayList<>();
    RandomSamples random = new RandomSamples(5);
    for (MetricType type : MetricType.values()) {
      for (MetricPoint p : random.series(type, T0, SECOND, 20)) {
        writes.add(new MetricWrite(writes.size() % 2 == 0 ? counter : gauge, p));
      }
    }
    long[] ids = new long[writes.size()];
    boolean[] define = new boolean[writes.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = writes.get(i).series().id();
    }
    define[0] = true;
    define[1] = true;

    WalRecord.Decoded decoded = WalRecord.decode(WalRecord.encode(writes, ids, define));

    assertThat(decoded.definitions()).containsExactly(counter, gauge);
    assertThat(decoded.entries()).hasSize(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      WalRecord.Entry entry = decoded.entries().get(i);
      assertThat(entry.tenant()).isEqualTo(writes.get(i).series().tenant());
      assertThat(entry.seriesId()).isEqualTo(ids[i]);
      assertThat(entry.point()).isEqualTo(writes.get(i).point());
    }
  }

  @Test
  void aCounterMinuteTakesAboutADozenBytes() {
    List<MetricPoint> counter = new ArrayList<>();
    for (int i = 0; i < 6 * 60; i++) {
      counter.add(new NumberPoint(T0, T0 + i * 10 * SECOND, 1000 + i * 3));
    }
    List<RollupCodec.Stored> stored = new ArrayList<>();
    for (Rollup rollup : Rollups.compute(RollupTier.ONE_MINUTE, null, counter)) {
      stored.add(new RollupCodec.Stored(false, rollup));
    }

    byte[] bytes = RollupCodec.encode(stored);

    assertThat(bytes.length).isLessThan(16 * 60);
    assertThat(RollupCodec.decode(bytes, 0, bytes.length)).isEqualTo(stored);
  }

  @Test
  void storedRollupsOfEveryKindRoundTrip() {
    for (MetricType type : MetricType.values()) {
      List<MetricPoint> points = new RandomSamples(6).series(type, T0, 7 * SECOND, 500);
      for (RollupTier tier : RollupTier.values()) {
        List<RollupCodec.Stored> stored = new ArrayList<>();
        List<Rollup> rollups = Rollups.compute(tier, points.getFirst(), points.subList(1, 500));
        for (int i = 0; i < rollups.size(); i++) {
          stored.add(new RollupCodec.Stored(i % 3 == 0, rollups.get(i)));
          if (i % 7 == 0) {
            stored.add(RollupCodec.Stored.empty(rollups.get(i).windowStartUnixNanos() + 1));
          }
        }

        byte[] bytes = RollupCodec.encode(stored);

        assertThat(RollupCodec.decode(bytes, 0, bytes.length))
            .as("%s %s", type, tier)
            .isEqualTo(stored);
      }
    }
  }
}
