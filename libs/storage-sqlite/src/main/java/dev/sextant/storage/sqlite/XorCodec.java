package dev.sextant.storage.sqlite;

/**
 * Gorilla's float compression for one stream of doubles (Pelkonen et al., VLDB 2015): each value is
 * XORed with the previous one and only the bits that differ are written, reusing the previous
 * window of meaningful bits when the new ones fit in it. Works on the raw bits, so NaN payloads,
 * -0.0 and infinities come back exactly. One instance per stream, used to write or to read.
 */
final class XorCodec {
  private long previous;
  private int leading = -1;
  private int trailing;
  private boolean first = true;

  void write(BitOutput out, double value) {
    long bits = Double.doubleToRawLongBits(value);
    if (first) {
      out.writeBits(bits, 64);
      first = false;
      previous = bits;
      return;
    }
    long xor = bits ^ previous;
    previous = bits;
    if (xor == 0) {
      out.writeBits(0, 1);
      return;
    }
    int lead = Long.numberOfLeadingZeros(xor);
    int trail = Long.numberOfTrailingZeros(xor);
    if (leading >= 0 && lead >= leading && trail >= trailing) {
      out.writeBits(0b10, 2);
      out.writeBits(xor >>> trailing, 64 - leading - trailing);
      return;
    }
    int meaningful = 64 - lead - trail;
    out.writeBits(0b11, 2);
    out.writeBits(lead, 6);
    out.writeBits(meaningful - 1, 6);
    out.writeBits(xor >>> trail, meaningful);
    leading = lead;
    trailing = trail;
  }

  double read(BitInput in) {
    if (first) {
      first = false;
      previous = in.readBits(64);
      return Double.longBitsToDouble(previous);
    }
    if (!in.readBit()) {
      return Double.longBitsToDouble(previous);
    }
    if (in.readBit()) {
      leading = (int) in.readBits(6);
      int meaningful = (int) in.readBits(6) + 1;
      trailing = 64 - leading - meaningful;
    }
    long xor = in.readBits(64 - leading - trailing) << trailing;
    previous ^= xor;
    return Double.longBitsToDouble(previous);
  }
}
