package dev.sextant.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * In a class loader other than the system one — as in a Quarkus service — lz4-java picks its
 * pure-Java codec unless the native library was loaded first, which {@link NativeLz4} does.
 */
class NativeLz4Test {

  @Test
  void aServiceClassLoaderGetsTheNativeCodec() throws Exception {
    URL lz4 = LZ4Factory.class.getProtectionDomain().getCodeSource().getLocation();
    URL ours = NativeLz4.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader service =
        new URLClassLoader(new URL[] {lz4, ours}, ClassLoader.getPlatformClassLoader())) {
      Method fastest = service.loadClass(LZ4Factory.class.getName()).getMethod("fastestInstance");
      assertThat(fastest.invoke(null)).hasToString("LZ4Factory:JavaSafe");

      Method load = service.loadClass(NativeLz4.class.getName()).getDeclaredMethod("load");
      load.setAccessible(true);
      load.invoke(null);

      assertThat(fastest.invoke(null)).hasToString("LZ4Factory:JNI");
    }
  }
}
