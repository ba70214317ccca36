package dev.sextant.ingest.otlp;

/** Saturating arithmetic for OTLP's unsigned 32-bit counters, which Java reads as int. */
final class Counts {
  private Counts() {}

  /** {@code a + b}, with {@code a} a uint32 read as int, capped at Integer.MAX_VALUE. */
  static int addUnsigned(int uint32, int b) {
    return (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(uint32) + b);
  }
}
