package dev.sextant.storage.sqlite;

/** Reads what {@link BitOutput} wrote, from a byte range. */
final class BitInput {
  private final byte[] bytes;
  private final int end;
  private long position;

  BitInput(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.end = offset + length;
    this.position = (long) offset * 8;
  }

  long readBits(int count) {
    long value = 0;
    int left = count;
    while (left > 0) {
      int index = (int) (position >>> 3);
      if (index >= end) {
        throw new IllegalStateException("chunk ends early");
      }
      int used = (int) (position & 7);
      int available = 8 - used;
      int take = Math.min(available, left);
      int bits = ((bytes[index] & 0xFF) >>> (available - take)) & ((1 << take) - 1);
      value = (value << take) | bits;
      left -= take;
      position += take;
    }
    return value;
  }

  boolean readBit() {
    return readBits(1) != 0;
  }

  long readVarLong() {
    long value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      long group = readBits(8);
      value |= (group & 0x7F) << shift;
      if ((group & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalStateException("variable-length integer too long");
  }

  long readZigZag() {
    long v = readVarLong();
    return (v >>> 1) ^ -(v & 1);
  }

  /** Where the next byte after the bits read so far starts. */
  int nextByte() {
    return (int) ((position + 7) >>> 3);
  }
}
