package dev.sextant.e2e;

import dev.sextant.storage.testkit.TempDirs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The whole suite started exactly as a user starts it, with the README's run command ({@code
 * ./sextant run}), on free loopback ports and a fresh data folder; stopped like Ctrl-C stops it.
 */
final class RunningSuite implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(150);

  final Path root;
  final Path dataDir;
  final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final CountDownLatch up = new CountDownLatch(1);

  private RunningSuite(Path root, Path dataDir, Map<String, String> environment)
      throws IOException {
    this.root = root;
    this.dataDir = dataDir;
    for (String name :
        List.of(
            "INGEST_GRPC",
            "INGEST_HTTP",
            "AGGREGATOR_GRPC",
            "AGGREGATOR_HTTP",
            "QUERY_HTTP",
            "QUERY_GRPC",
            "RETENTION_HTTP",
            "RETENTION_GRPC")) {
      // A port the caller chose (SEXTANT_<NAME>_PORT in the environment) is kept.
      String chosen = environment.get("SEXTANT_" + name + "_PORT");
      ports.put(name, chosen != null ? Integer.parseInt(chosen) : freePort());
    }
    ProcessBuilder builder =
        new ProcessBuilder(root.resolve("sextant").toString(), "run", "--no-build")
            .directory(root.toFile())
            .redirectErrorStream(true);
    builder.environment().put("SEXTANT_DATA_DIR", dataDir.toString());
    builder.environment().putAll(environment);
    ports.forEach(
        (name, port) -> builder.environment().put("SEXTANT_" + name + "_PORT", "" + port));
    process = builder.start();
    Thread reader = new Thread(this::pump, "suite-output");
    reader.setDaemon(true);
    reader.start();
  }

  static RunningSuite start() throws Exception {
    return start(Map.of());
  }

  /** The suite with more environment for its services ({@code SEXTANT_STORAGE_KIND=...}). */
  static RunningSuite start(Map<String, String> environment) throws Exception {
    Path root = repositoryRoot();
    Path dataDir = Files.createTempDirectory("sextant-e2e-data");
    RunningSuite suite = new RunningSuite(root, dataDir, environment);
    if (!suite.up.await(STARTUP.toSeconds(), TimeUnit.SECONDS)) {
      suite.close();
      throw new IllegalStateException("suite did not come up:\n" + suite.output());
    }
    return suite;
  }

  int port(String name) {
    return ports.get(name);
  }

  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** The java processes the run command started. */
  List<ProcessHandle> services() {
    return process
        .descendants()
        .filter(p -> p.info().command().orElse("").endsWith("java"))
        .toList();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the suite as Ctrl-C would (a signal to the run command) and waits for it. */
  int stop() throws InterruptedException {
    // The handle only signals; Process.destroy() would also close our end of its output.
    process.toHandle().destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IllegalStateException("run command did not stop within 60 s:\n" + output());
    }
    return process.exitValue();
  }

  /** Stops the suite if it still runs, then deletes its data folder. */
  @Override
  public void close() throws Exception {
    List<ProcessHandle> children = process.descendants().toList();
    try {
      if (process.isAlive()) {
        stop();
      }
    } finally {
      children.forEach(ProcessHandle::destroyForcibly);
      TempDirs.deleteQuietly(dataDir);
    }
  }

  private void pump() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        if (line.startsWith("Sextant is up")) {
          up.countDown();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() {
    return dev.sextant.storage.testkit.FreePorts.next();
  }

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("sextant"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (the sextant script)");
    }
    return dir;
  }
}
