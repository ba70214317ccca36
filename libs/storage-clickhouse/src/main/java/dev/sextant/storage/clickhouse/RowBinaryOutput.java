package dev.sextant.storage.clickhouse;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer of ClickHouse RowBinary values: little-endian fixed-width numbers, LEB128
 * lengths, length-prefixed strings. Written by hand rather than through the client's by-name
 * writer, which is several times slower for wide rows (clickhouse-here.md §6).
 */
final class RowBinaryOutput {
  private byte[] buffer;
  private int size;

  RowBinaryOutput(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return size;
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }

  void uint8(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
  }

  void int32(int value) {
    ensure(4);
    buffer[size++] = (byte) value;
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) (value >>> 16);
    buffer[size++] = (byte) (value >>> 24);
  }

  /** Int64, UInt64 (same bits) and DateTime64(9) (nanoseconds since the epoch). */
  void int64(long value) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buffer[size++] = (byte) (value >>> (8 * i));
    }
  }

  /** Float64 with its exact bits: NaN payloads and the sign of zero survive. */
  void float64(double value) {
    int64(Double.doubleToRawLongBits(value));
  }

  /** An unsigned LEB128 number: lengths of strings, arrays and maps. */
  void varint(long value) {
    ensure(10);
    long v = value;
    while ((v & ~0x7FL) != 0) {
      buffer[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buffer[size++] = (byte) v;
  }

  void bytes(byte[] bytes) {
    varint(bytes.length);
    raw(bytes);
  }

  /** Bytes without a length: FixedString. */
  void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  void string(String value) {
    bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  void float64Array(double[] values) {
    varint(values.length);
    for (double v : values) {
      float64(v);
    }
  }

  void int64Array(long[] values) {
    varint(values.length);
    for (long v : values) {
      int64(v);
    }
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  InputStream asInputStream() {
    return new ByteArrayInputStream(buffer, 0, size);
  }
}
