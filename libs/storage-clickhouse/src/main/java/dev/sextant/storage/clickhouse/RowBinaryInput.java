package dev.sextant.storage.clickhouse;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads what {@link RowBinaryOutput} writes, from a query answered in {@code FORMAT RowBinary}. */
final class RowBinaryInput {
  private final InputStream in;
  private final byte[] buffer;
  private int position;
  private int limit;

  RowBinaryInput(InputStream in) {
    this.in = in;
    this.buffer = new byte[64 * 1024];
  }

  /** Over bytes already in memory, e.g. an encoded attribute map. */
  RowBinaryInput(byte[] bytes) {
    this.in = null;
    this.buffer = bytes;
    this.limit = bytes.length;
  }

  /** Whether another row follows; the answer ends where the stream does. */
  boolean hasMore() {
    return fill(1);
  }

  private boolean fill(int wanted) {
    if (limit - position >= wanted) {
      return true;
    }
    if (in == null) {
      return false;
    }
    if (position > 0) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      limit -= position;
      position = 0;
    }
    try {
      while (limit < wanted) {
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
          return false;
        }
        limit += n;
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void require(int n) {
    if (!fill(n)) {
      throw new UncheckedIOException(new EOFException("RowBinary answer ended inside a row"));
    }
  }

  int uint8() {
    require(1);
    return buffer[position++] & 0xFF;
  }

  int int8() {
    require(1);
    return buffer[position++];
  }

  int int32() {
    require(4);
    int v =
        (buffer[position] & 0xFF)
            | (buffer[position + 1] & 0xFF) << 8
            | (buffer[position + 2] & 0xFF) << 16
            | (buffer[position + 3] & 0xFF) << 24;
    position += 4;
    return v;
  }

  long int64() {
    require(8);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (buffer[position + i] & 0xFF);
    }
    position += 8;
    return v;
  }

  double float64() {
    return Double.longBitsToDouble(int64());
  }

  long varint() {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      int b = uint8();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
  }

  byte[] bytes() {
    return raw(Math.toIntExact(varint()));
  }

  /** {@code n} bytes without a length: FixedString(n). */
  byte[] raw(int n) {
    byte[] out = new byte[n];
    int copied = 0;
    while (copied < n) {
      int chunk = Math.min(n - copied, buffer.length);
      require(chunk);
      System.arraycopy(buffer, position, out, copied, chunk);
      position += chunk;
      copied += chunk;
    }
    return out;
  }

  String string() {
    int n = Math.toIntExact(varint());
    if (n <= buffer.length) {
      require(n);
      String s = new String(buffer, position, n, StandardCharsets.UTF_8);
      position += n;
      return s;
    }
    return new String(raw(n), StandardCharsets.UTF_8);
  }

  double[] float64Array() {
    double[] out = new double[Math.toIntExact(varint())];
    for (int i = 0; i < out.length; i++) {
      out[i] = float64();
    }
    return out;
  }

  long[] int64Array() {
    long[] out = new long[Math.toIntExact(varint())];
    for (int i = 0; i < out.length; i++) {
      out[i] = int64();
    }
    return out;
  }
}
