package dev.sextant.storage.sqlite;

import java.util.Arrays;

/** Writes bits most significant first into a growing buffer; the chunk codec's output. */
final class BitOutput {
  private long[] words = new long[16];
  private int word;

  /** Bits still free in {@code words[word]}. */
  private int free = 64;

  /** Writes the low {@code count} bits of {@code value} (count 0..64). */
  void writeBits(long value, int count) {
    if (count == 0) {
      return;
    }
    long bits = count == 64 ? value : value & ((1L << count) - 1);
    if (count <= free) {
      free -= count;
      words[word] |= bits << free;
      if (free == 0) {
        nextWord();
      }
      return;
    }
    int rest = count - free;
    words[word] |= bits >>> rest;
    nextWord();
    free = 64 - rest;
    words[word] |= bits << free;
  }

  void writeBit(boolean bit) {
    writeBits(bit ? 1 : 0, 1);
  }

  /** An unsigned variable-length integer: groups of 7 bits, each after a continuation bit. */
  void writeVarLong(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      writeBits(0x80 | (v & 0x7F), 8);
      v >>>= 7;
    }
    writeBits(v, 8);
  }

  void writeZigZag(long value) {
    writeVarLong((value << 1) ^ (value >> 63));
  }

  private void nextWord() {
    word++;
    free = 64;
    if (word == words.length) {
      words = Arrays.copyOf(words, words.length * 2);
    }
  }

  /** The bits written so far, zero-padded to whole bytes. */
  byte[] toBytes() {
    int bits = word * 64 + (64 - free);
    byte[] bytes = new byte[(bits + 7) / 8];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (words[i >>> 3] >>> (56 - (i & 7) * 8));
    }
    return bytes;
  }
}
