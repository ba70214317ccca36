package dev.sextant.storage.sqlite;

import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteOutput} wrote. */
final class ByteInput {
  private final byte[] bytes;
  private int position;
  private final int end;

  ByteInput(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  ByteInput(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.position = offset;
    this.end = offset + length;
  }

  private void need(int count) {
    if (end - position < count) {
      throw new IllegalStateException("record ends early");
    }
  }

  int readByte() {
    need(1);
    return bytes[position++] & 0xFF;
  }

  long readVarLong() {
    long value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = readByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalStateException("variable-length integer too long");
  }

  int readVarInt() {
    long value = readVarLong();
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw new IllegalStateException("length out of range: " + value);
    }
    return (int) value;
  }

  long readZigZag() {
    long v = readVarLong();
    return (v >>> 1) ^ -(v & 1);
  }

  long readLong() {
    need(8);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value |= (long) (bytes[position++] & 0xFF) << (8 * i);
    }
    return value;
  }

  double readDouble() {
    return Double.longBitsToDouble(readLong());
  }

  String readString() {
    int length = readVarInt();
    need(length);
    String value = new String(bytes, position, length, StandardCharsets.UTF_8);
    position += length;
    return value;
  }

  int position() {
    return position;
  }

  void skip(int count) {
    need(count);
    position += count;
  }

  boolean hasMore() {
    return position < end;
  }
}
