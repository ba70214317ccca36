package dev.sextant.storage.sqlite;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growing byte buffer with variable-length integers, for records and page headers. */
final class ByteOutput {
  private byte[] bytes;
  private int size;

  ByteOutput(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  void writeByte(int value) {
    ensure(1);
    bytes[size++] = (byte) value;
  }

  void writeVarLong(long value) {
    ensure(10);
    long v = value;
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) (0x80 | (v & 0x7F));
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  void writeZigZag(long value) {
    writeVarLong((value << 1) ^ (value >> 63));
  }

  /** Eight bytes, little-endian. */
  void writeLong(long value) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      bytes[size++] = (byte) (value >>> (8 * i));
    }
  }

  void writeDouble(double value) {
    writeLong(Double.doubleToRawLongBits(value));
  }

  void writeString(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    writeVarLong(utf8.length);
    writeBytes(utf8, 0, utf8.length);
  }

  void writeBytes(byte[] source, int offset, int length) {
    ensure(length);
    System.arraycopy(source, offset, bytes, size, length);
    size += length;
  }

  int size() {
    return size;
  }

  byte[] toBytes() {
    return Arrays.copyOf(bytes, size);
  }
}
