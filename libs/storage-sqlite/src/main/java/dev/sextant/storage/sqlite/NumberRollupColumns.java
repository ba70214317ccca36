package dev.sextant.storage.sqlite;

import dev.sextant.model.NumberPoint;
import dev.sextant.storage.rollup.ExactSum;
import dev.sextant.storage.rollup.NumberRollup;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive windows of a number series' rollups, field by field as bit streams, the way chunks
 * store points: window starts and sample offsets delta-of-delta coded (a regular series costs a bit
 * each), counts and start times as flags when unchanged, doubles as Gorilla XOR streams, and min
 * and max as a two-bit reference when they equal the first or last value (always, for a counter). A
 * one-minute window of a counter takes about a dozen bytes instead of eighty.
 */
final class NumberRollupColumns {
  private static final int MIN_IS_FIRST = 0;
  private static final int MIN_IS_LAST = 1;
  private static final int OWN_VALUE = 2;

  private NumberRollupColumns() {}

  static void write(BitOutput out, List<RollupCodec.Stored> rollups) {
    out.writeVarLong(rollups.size());
    Streams s = new Streams();
    for (RollupCodec.Stored stored : rollups) {
      s.window.write(out, stored.windowStartUnixNanos());
      out.writeBit(stored.complete());
      NumberRollup r = (NumberRollup) stored.rollup();
      out.writeBit(r == null);
      if (r == null) {
        continue;
      }
      boolean sameCount = r.count() == s.count;
      out.writeBit(sameCount);
      if (!sameCount) {
        out.writeVarLong(r.count());
        s.count = r.count();
      }
      s.sum.write(out, r.sum());
      s.increase.write(out, r.increase());
      long window = stored.windowStartUnixNanos();
      s.firstOffset.write(out, r.first().timeUnixNanos() - window);
      s.writeStart(out, r.first());
      s.firstValue.write(out, r.first().value());
      boolean single = r.last().equals(r.first());
      out.writeBit(single);
      if (!single) {
        s.lastOffset.write(out, r.last().timeUnixNanos() - window);
        s.writeStart(out, r.last());
        s.lastValue.write(out, r.last().value());
      }
      writeExtreme(out, r.min(), r, s.min);
      writeExtreme(out, r.max(), r, s.max);
    }
  }

  static List<RollupCodec.Stored> read(BitInput in) {
    int n = (int) in.readVarLong();
    List<RollupCodec.Stored> rollups = new ArrayList<>(n);
    Streams s = new Streams();
    for (int i = 0; i < n; i++) {
      long window = s.window.read(in);
      boolean complete = in.readBit();
      if (in.readBit()) {
        rollups.add(RollupCodec.Stored.empty(window));
        continue;
      }
      if (!in.readBit()) {
        s.count = in.readVarLong();
      }
      ExactSum sum = s.sum.read(in);
      ExactSum increase = s.increase.read(in);
      long firstTime = window + s.firstOffset.read(in);
      NumberPoint first =
          new NumberPoint(s.readStart(in, firstTime), firstTime, s.firstValue.read(in));
      NumberPoint last = first;
      if (!in.readBit()) {
        long lastTime = window + s.lastOffset.read(in);
        last = new NumberPoint(s.readStart(in, lastTime), lastTime, s.lastValue.read(in));
      }
      double min = readExtreme(in, first, last, s.min);
      double max = readExtreme(in, first, last, s.max);
      rollups.add(
          new RollupCodec.Stored(
              complete, new NumberRollup(window, s.count, sum, min, max, first, last, increase)));
    }
    return rollups;
  }

  private static void writeExtreme(BitOutput out, double value, NumberRollup r, XorCodec own) {
    long bits = Double.doubleToRawLongBits(value);
    if (bits == Double.doubleToRawLongBits(r.first().value())) {
      out.writeBits(MIN_IS_FIRST, 2);
    } else if (bits == Double.doubleToRawLongBits(r.last().value())) {
      out.writeBits(MIN_IS_LAST, 2);
    } else {
      out.writeBits(OWN_VALUE, 2);
      own.write(out, value);
    }
  }

  private static double readExtreme(
      BitInput in, NumberPoint first, NumberPoint last, XorCodec own) {
    int tag = (int) in.readBits(2);
    return switch (tag) {
      case MIN_IS_FIRST -> first.value();
      case MIN_IS_LAST -> last.value();
      case OWN_VALUE -> own.read(in);
      default -> throw new IllegalStateException("unknown extreme tag " + tag);
    };
  }

  /** The per-field state of a page's rollups: what the next window is coded against. */
  private static final class Streams {
    final DeltaOfDelta window = new DeltaOfDelta();
    final DeltaOfDelta firstOffset = new DeltaOfDelta();
    final DeltaOfDelta lastOffset = new DeltaOfDelta();
    final SumStream sum = new SumStream();
    final SumStream increase = new SumStream();
    final XorCodec firstValue = new XorCodec();
    final XorCodec lastValue = new XorCodec();
    final XorCodec min = new XorCodec();
    final XorCodec max = new XorCodec();
    long count = -1;
    long start;

    void writeStart(BitOutput out, NumberPoint point) {
      boolean same = point.startTimeUnixNanos() == start;
      out.writeBit(same);
      if (!same) {
        out.writeZigZag(point.timeUnixNanos() - point.startTimeUnixNanos());
        start = point.startTimeUnixNanos();
      }
    }

    long readStart(BitInput in, long time) {
      if (!in.readBit()) {
        start = time - in.readZigZag();
      }
      return start;
    }
  }

  /** A long that changes by a steady step: one bit while the step holds. */
  private static final class DeltaOfDelta {
    private long previous;
    private long delta;

    void write(BitOutput out, long value) {
      long next = value - previous;
      boolean steady = next == delta;
      out.writeBit(steady);
      if (!steady) {
        out.writeZigZag(next - delta);
        delta = next;
      }
      previous = value;
    }

    long read(BitInput in) {
      if (!in.readBit()) {
        delta += in.readZigZag();
      }
      previous += delta;
      return previous;
    }
  }

  /** Exact sums: how many partials, each XORed against the same partial of the window before. */
  private static final class SumStream {
    private final List<XorCodec> partials = new ArrayList<>();
    private final XorCodec nonFinite = new XorCodec();

    private XorCodec at(int i) {
      while (partials.size() <= i) {
        partials.add(new XorCodec());
      }
      return partials.get(i);
    }

    void write(BitOutput out, ExactSum sum) {
      double[] values = sum.partials();
      boolean special = !Double.isFinite(sum.nonFinite());
      out.writeVarLong((long) values.length << 1 | (special ? 1 : 0));
      for (int i = 0; i < values.length; i++) {
        at(i).write(out, values[i]);
      }
      if (special) {
        nonFinite.write(out, sum.nonFinite());
      }
    }

    ExactSum read(BitInput in) {
      long header = in.readVarLong();
      double[] values = new double[(int) (header >>> 1)];
      for (int i = 0; i < values.length; i++) {
        values[i] = at(i).read(in);
      }
      return ExactSum.fromParts(values, (header & 1) == 0 ? 0.0 : nonFinite.read(in));
    }
  }
}
