package dev.sextant.storage.sqlite;

import java.util.Arrays;

/**
 * Timestamps of a run of points, delta-of-delta encoded (Gorilla) in the largest unit of 1 s, 1 ms,
 * 1 µs or 1 ns that divides them all, so scrapes at whole seconds or milliseconds cost a bit or two
 * per point whatever their nanosecond representation. Start times cost 2 bits per run when they are
 * all 0 or all equal (gauges, a counter without a restart), else a bit per point when unchanged.
 */
final class TimeCodec {
  private static final long[] UNITS = {1_000_000_000L, 1_000_000L, 1_000L, 1L};

  private static final int STARTS_ZERO = 0;
  private static final int STARTS_EQUAL = 1;
  private static final int STARTS_EACH = 2;

  private TimeCodec() {}

  /** Writes {@code times[from..to)} (increasing) relative to {@code base}, and the start times. */
  static void write(BitOutput out, long base, long[] times, long[] starts, int from, int to) {
    int unit = unitOf(base, times, from, to);
    out.writeBits(unit, 2);
    long scale = UNITS[unit];
    long previous = (times[from] - base) / scale;
    out.writeVarLong(previous);
    long previousDelta = 0;
    for (int i = from + 1; i < to; i++) {
      long current = (times[i] - base) / scale;
      long delta = current - previous;
      writeDeltaOfDelta(out, delta - previousDelta);
      previousDelta = delta;
      previous = current;
    }
    writeStarts(out, times, starts, from, to);
  }

  static void read(BitInput in, long base, long[] times, long[] starts, int count) {
    long scale = UNITS[(int) in.readBits(2)];
    long previous = in.readVarLong();
    times[0] = base + previous * scale;
    long previousDelta = 0;
    for (int i = 1; i < count; i++) {
      long delta = previousDelta + readDeltaOfDelta(in);
      previous += delta;
      times[i] = base + previous * scale;
      previousDelta = delta;
    }
    readStarts(in, times, starts, count);
  }

  /** The index of the largest unit dividing the base and every time. */
  private static int unitOf(long base, long[] times, int from, int to) {
    int unit = 0;
    while (unit < UNITS.length - 1 && base % UNITS[unit] != 0) {
      unit++;
    }
    for (int i = from; i < to && unit < UNITS.length - 1; i++) {
      while (unit < UNITS.length - 1 && times[i] % UNITS[unit] != 0) {
        unit++;
      }
    }
    return unit;
  }

  /** Prefix codes for ever wider signed ranges: 0 costs one bit. */
  private static final int[] WIDTHS = {7, 14, 24, 36};

  private static void writeDeltaOfDelta(BitOutput out, long dod) {
    if (dod == 0) {
      out.writeBits(0, 1);
      return;
    }
    for (int i = 0; i < WIDTHS.length; i++) {
      int width = WIDTHS[i];
      if (dod >= -(1L << (width - 1)) && dod < (1L << (width - 1))) {
        // i+1 ones then a zero: 10, 110, 1110, 11110.
        out.writeBits(((1L << (i + 1)) - 1) << 1, i + 2);
        out.writeBits(dod, width);
        return;
      }
    }
    out.writeBits(0b11111, 5);
    out.writeBits(dod, 64);
  }

  private static long readDeltaOfDelta(BitInput in) {
    int ones = 0;
    while (ones < WIDTHS.length + 1 && in.readBit()) {
      ones++;
    }
    if (ones == 0) {
      return 0;
    }
    if (ones > WIDTHS.length) {
      return in.readBits(64);
    }
    int width = WIDTHS[ones - 1];
    long value = in.readBits(width);
    return (value << (64 - width)) >> (64 - width);
  }

  private static void writeStarts(BitOutput out, long[] times, long[] starts, int from, int to) {
    boolean allZero = true;
    boolean allEqual = true;
    for (int i = from; i < to; i++) {
      allZero &= starts[i] == 0;
      allEqual &= starts[i] == starts[from];
    }
    if (allZero) {
      out.writeBits(STARTS_ZERO, 2);
    } else if (allEqual) {
      out.writeBits(STARTS_EQUAL, 2);
      out.writeZigZag(times[from] - starts[from]);
    } else {
      out.writeBits(STARTS_EACH, 2);
      long previous = 0;
      for (int i = from; i < to; i++) {
        boolean same = i > from && starts[i] == previous;
        out.writeBit(same);
        if (!same) {
          out.writeZigZag(times[i] - starts[i]);
        }
        previous = starts[i];
      }
    }
  }

  private static void readStarts(BitInput in, long[] times, long[] starts, int count) {
    int kind = (int) in.readBits(2);
    switch (kind) {
      case STARTS_ZERO -> Arrays.fill(starts, 0, count, 0L);
      case STARTS_EQUAL -> Arrays.fill(starts, 0, count, times[0] - in.readZigZag());
      case STARTS_EACH -> {
        long previous = 0;
        for (int i = 0; i < count; i++) {
          starts[i] = in.readBit() ? previous : times[i] - in.readZigZag();
          previous = starts[i];
        }
      }
      default -> throw new IllegalStateException("unknown start time encoding " + kind);
    }
  }
}
