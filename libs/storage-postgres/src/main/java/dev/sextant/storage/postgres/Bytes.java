package dev.sextant.storage.postgres;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array with varints, and a reader over one: the metric encodings' primitives. */
final class Bytes {
  private Bytes() {}

  /** Appends bytes; varints are LEB128, signed values zigzag-encoded first. */
  static final class Writer {
    private byte[] bytes;
    private int size;

    Writer(int capacity) {
      bytes = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    void writeByte(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    void writeUnsigned(long value) {
      ensure(10);
      long v = value;
      while ((v & ~0x7FL) != 0) {
        bytes[size++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      bytes[size++] = (byte) v;
    }

    void writeSigned(long value) {
      writeUnsigned((value << 1) ^ (value >> 63));
    }

    void writeLongBits(long bits) {
      ensure(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        bytes[size++] = (byte) (bits >>> shift);
      }
    }

    void writeDouble(double value) {
      writeLongBits(Double.doubleToRawLongBits(value));
    }

    /** The low {@code count} bytes of {@code bits}, most significant first. */
    void writeLowBytes(long bits, int count) {
      ensure(count);
      for (int i = count - 1; i >= 0; i--) {
        bytes[size++] = (byte) (bits >>> (i * 8));
      }
    }

    void writeString(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      writeUnsigned(utf8.length);
      ensure(utf8.length);
      System.arraycopy(utf8, 0, bytes, size, utf8.length);
      size += utf8.length;
    }

    int size() {
      return size;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }
  }

  /** Reads what a {@link Writer} wrote. */
  static final class Reader {
    private final byte[] bytes;
    private int position;

    Reader(byte[] bytes) {
      this(bytes, 0);
    }

    Reader(byte[] bytes, int position) {
      this.bytes = bytes;
      this.position = position;
    }

    boolean hasMore() {
      return position < bytes.length;
    }

    int readByte() {
      return bytes[position++] & 0xFF;
    }

    long readUnsigned() {
      long value = 0;
      int shift = 0;
      while (true) {
        byte b = bytes[position++];
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
        shift += 7;
        if (shift > 63) {
          throw new IllegalStateException("varint too long");
        }
      }
    }

    long readSigned() {
      long v = readUnsigned();
      return (v >>> 1) ^ -(v & 1);
    }

    int readInt() {
      return Math.toIntExact(readSigned());
    }

    long readLongBits() {
      return readLowBytes(8);
    }

    double readDouble() {
      return Double.longBitsToDouble(readLongBits());
    }

    long readLowBytes(int count) {
      long value = 0;
      for (int i = 0; i < count; i++) {
        value = (value << 8) | (bytes[position++] & 0xFF);
      }
      return value;
    }

    int position() {
      return position;
    }

    void skipString() {
      int length = Math.toIntExact(readUnsigned());
      position += length;
    }

    String readString() {
      int length = Math.toIntExact(readUnsigned());
      String s = new String(bytes, position, length, StandardCharsets.UTF_8);
      position += length;
      return s;
    }
  }
}
