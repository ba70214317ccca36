package dev.sextant.query.sqlite;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The embedded default backend, SQLite, on a throwaway data folder removed afterwards. */
public class SqliteProfile implements QuarkusTestProfile {

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(TempDataDir.class));
  }

  /** Creates the data folder before the application starts and deletes it after it stopped. */
  public static class TempDataDir implements QuarkusTestResourceLifecycleManager {
    private Path dir;

    @Override
    public Map<String, String> start() {
      try {
        dir = Files.createTempDirectory("sextant-query-sqlite");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of(
          "sextant.storage.kind", "sqlite", "sextant.storage.sqlite.data-dir", dir.toString());
    }

    @Override
    public void stop() {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
