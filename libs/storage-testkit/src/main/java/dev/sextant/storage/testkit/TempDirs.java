package dev.sextant.storage.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary folders of tests and benchmarks (data folders, throwaway database clusters). */
public final class TempDirs {
  private TempDirs() {}

  /**
   * Deletes the folder and everything in it, as far as it can: a leftover temporary folder is not
   * worth failing a test run for.
   */
  public static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // best effort, see above
    }
  }
}
