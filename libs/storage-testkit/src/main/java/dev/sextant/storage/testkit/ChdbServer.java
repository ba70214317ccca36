package dev.sextant.storage.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real ClickHouse (26.7) for tests and benchmarks, with no Docker and no download outside the
 * package registries: the engine ships as {@code libchdb.so} in the npm package {@code
 * @chdb/lib-linux-x64-gnu}, which this launcher installs once into a cache directory ({@code npm
 * pack}, 178 MB), then serves over HTTP on a free loopback port through clickhouse-local's own
 * entry point ({@code chdb_serve.py}, Python's ctypes). Anything missing (npm, python3, the
 * package) fails the test loudly: these tests never skip.
 *
 * <p>The cache is {@code $SEXTANT_CHDB_CACHE}, else {@code ~/.cache/sextant/chdb}.
 */
public final class ChdbServer implements AutoCloseable {
  public static final String PACKAGE = "@chdb/lib-linux-x64-gnu";
  public static final String VERSION = "26.7.3-stable.1";

  private static ChdbServer shared;

  private final Path libchdb;
  private final Path script;
  private final Path dataDir;
  private final List<String> extraArguments;
  private final int httpPort;
  private final int tcpPort;
  private Process process;

  private ChdbServer(Path dataDir, int httpPort, int tcpPort, List<String> extraArguments) {
    Path home = installed();
    this.libchdb = home.resolve("libchdb.so");
    this.script = home.resolve("chdb_serve.py");
    this.dataDir = dataDir;
    this.httpPort = httpPort;
    this.tcpPort = tcpPort;
    this.extraArguments = List.copyOf(extraArguments);
  }

  /** One server for the whole test run, stopped when the JVM exits. */
  public static synchronized ChdbServer shared() {
    if (shared == null) {
      try {
        Path data = Files.createTempDirectory("sextant-chdb-");
        shared = start(data);
        ChdbServer server = shared;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      server.close();
                      removeLater(data);
                      removeLater(server.logFile());
                    }));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** A new server over {@code dataDir} on free ports. */
  public static ChdbServer start(Path dataDir) {
    return start(dataDir, freePort(), freePort(), List.of());
  }

  public static ChdbServer start(
      Path dataDir, int httpPort, int tcpPort, List<String> extraArguments) {
    ChdbServer server = new ChdbServer(dataDir, httpPort, tcpPort, extraArguments);
    server.startProcess();
    return server;
  }

  /** What the server prints, next to its data directory. */
  public Path logFile() {
    return dataDir.resolveSibling(dataDir.getFileName() + ".log");
  }

  public String endpoint() {
    return "http://127.0.0.1:" + httpPort;
  }

  public int tcpPort() {
    return tcpPort;
  }

  /** Kills the server the way a crash would: no shutdown, whatever is in flight is cut. */
  public synchronized void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    process = null;
  }

  /** Starts the server again over the same data and ports. */
  public synchronized void restart() {
    kill();
    startProcess();
  }

  @Override
  public void close() {
    kill();
  }

  private synchronized void startProcess() {
    try {
      Files.createDirectories(dataDir);
      List<String> command = new ArrayList<>();
      command.add("python3");
      command.add(script.toString());
      command.add(libchdb.toString());
      command.add(dataDir.toString() + "/");
      command.add(Integer.toString(httpPort));
      command.add(Integer.toString(tcpPort));
      command.addAll(extraArguments);
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
              .start();
      awaitReady();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start chDB's ClickHouse with python3", e);
    }
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ping =
        HttpRequest.newBuilder(URI.create(endpoint() + "/ping"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "chDB's ClickHouse exited with " + process.exitValue() + "; see " + logFile());
      }
      try {
        HttpResponse<String> answer = http.send(ping, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        "chDB's ClickHouse did not answer within 60 s; see " + logFile());
  }

  /**
   * The lines this server answers to {@code sql} (test probes and setup only, never user input).
   */
  public List<String> select(String sql) {
    return select(endpoint(), sql);
  }

  /** The lines the server at {@code endpoint} answers to {@code sql}, straight over HTTP. */
  public static List<String> select(String endpoint, String sql) {
    try {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(endpoint + "/"))
                      .POST(HttpRequest.BodyPublishers.ofString(sql))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(sql + " failed: " + answer.body());
      }
      return answer.body().lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- installation

  /** The cache directory holding libchdb.so and the launcher script, installing them once. */
  public static Path installed() {
    String configured = System.getenv("SEXTANT_CHDB_CACHE");
    Path root =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".cache", "sextant", "chdb");
    Path home = root.resolve(VERSION);
    try {
      Files.createDirectories(home);
      copyScript(home);
      Path lib = home.resolve("libchdb.so");
      if (Files.exists(lib)) {
        return home;
      }
      // Test JVMs of several modules may start together: one installs, the others wait.
      try (FileChannel channel =
              FileChannel.open(
                  home.resolve(".install.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        if (!Files.exists(lib)) {
          install(home, lib);
        }
      }
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install " + PACKAGE + " into " + home, e);
    }
  }

  private static void copyScript(Path home) throws IOException {
    try (InputStream in = ChdbServer.class.getResourceAsStream("chdb_serve.py")) {
      if (in == null) {
        throw new IllegalStateException(
            "chdb_serve.py is missing from the storage testkit's resources");
      }
      Path temp = Files.createTempFile(home, "chdb_serve", ".py");
      Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temp, home.resolve("chdb_serve.py"), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static void install(Path home, Path lib) throws IOException {
    Path work = Files.createTempDirectory(home, "download-");
    try {
      run(work, "npm", "pack", "--silent", PACKAGE + "@" + VERSION);
      Path tarball;
      try (Stream<Path> files = Files.list(work)) {
        tarball =
            files
                .filter(f -> f.getFileName().toString().endsWith(".tgz"))
                .findFirst()
                .orElseThrow(() -> new IOException("npm pack left no tarball in " + work));
      }
      run(work, "tar", "xzf", tarball.getFileName().toString(), "package/libchdb.so");
      Files.move(work.resolve("package/libchdb.so"), lib, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      TempDirs.deleteQuietly(work);
    }
  }

  private static void run(Path dir, String... command) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("install.log").toFile())
            .start();
    try {
      if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + " failed: "
                + Files.readString(dir.resolve("install.log")).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }

  public static int freePort() {
    return FreePorts.next();
  }

  /**
   * Removes a server's data directory without holding up the JVM's exit: thousands of part files
   * take longer to delete than Surefire waits for a forked JVM to end.
   */
  public static void removeLater(Path root) {
    try {
      new ProcessBuilder("rm", "-rf", root.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      // best effort: a temp directory
    }
  }
}
