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

  /** The next {@code count} bits (0 to 64), most significant first. */
  long readBits(int count) {
    if (count == 0) {
      return 0;
    }
    int used = (int) (position & 7);
    if (used + count > 64) {
      // Spans nine bytes: the first bits up to a byte boundary, then the rest.
      int head = 8 - used;
      long high = readBits(head);
      return (high << (count - head)) | readBits(count - head);
    }
    int index = (int) (position >>> 3);
    int bytesNeeded = (used + count + 7) >>> 3;
    if (index + bytesNeeded > end) {
      throw new IllegalStateException("chunk ends early");
    }
    long window = 0;
    for (int i = 0; i < bytesNeeded; i++) {
      window = (window << 8) | (bytes[index + i] & 0xFF);
    }
    int unused = bytesNeeded * 8 - used - count;
    position += count;
    long value = window >>> unused;
    return count == 64 ? value : value & ((1L << count) - 1);
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
