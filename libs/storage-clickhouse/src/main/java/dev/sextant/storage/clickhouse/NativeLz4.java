package dev.sextant.storage.clickhouse;

import net.jpountz.lz4.LZ4Factory;

/**
 * Gets the ClickHouse client the native LZ4 it compresses every request body with. lz4-java's
 * {@code fastestInstance()}, which the client calls, takes its JNI codec only when lz4-java was
 * loaded by the system class loader or the native library is loaded already; in a Quarkus service
 * neither holds, so every insert was compressed by the pure-Java codec, a fifth of the ingest
 * service's CPU under span load (profiled; README, "Speed and size on ClickHouse"). Loading the
 * library first makes {@code fastestInstance()} return the JNI codec. Where it cannot load (another
 * class loader holds it, a platform without the library) the client keeps the Java codec: same
 * bytes, more CPU.
 */
final class NativeLz4 {
  private NativeLz4() {}

  /** Loads it; called before each client is built (lz4-java keeps the loaded instance). */
  static void load() {
    try {
      LZ4Factory.nativeInstance();
    } catch (Throwable unavailable) {
      // The Java codec serves; see above.
    }
  }
}
