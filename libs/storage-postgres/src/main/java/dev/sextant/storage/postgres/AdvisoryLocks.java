package dev.sextant.storage.postgres;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Keys of the advisory locks Sextant's processes coordinate with, per schema: {@code migrate}
 * (schema changes), {@code partitions} (partition creation and drops), {@code metrics} (everything
 * that changes metric chunks: flushes, compaction, retention). Advisory locks are per database, so
 * the schema is part of the key.
 */
final class AdvisoryLocks {
  private AdvisoryLocks() {}

  static long key(String purpose, String schema) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("sextant:" + purpose + ":" + schema).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
