package dev.sextant.promql.conformance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus 2.42 from Debian's package, without a system install: the .deb is fetched with
 * {@code apt-get download} into a cache directory and unpacked with {@code dpkg -x}; promtool turns
 * a dataset into TSDB blocks and prometheus serves them on a free loopback port. Anything missing
 * is an {@link IllegalStateException} naming what failed, never a silent skip.
 */
public final class RealPrometheus implements AutoCloseable {
  private static final Path CACHE =
      Path.of(System.getProperty("user.home"), ".cache", "sextant", "prometheus-2.42");

  private final Process process;
  private final int port;
  private final PrometheusApiClient api;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RealPrometheus(Process process, int port) {
    this.process = process;
    this.port = port;
    this.api = new PrometheusApiClient("http://127.0.0.1:" + port);
  }

  /** The HTTP API of this server. */
  public PrometheusApiClient api() {
    return api;
  }

  /** Unpacks the binaries if needed, builds blocks from the OpenMetrics text, starts the server. */
  public static RealPrometheus start(String openMetrics, Path dir) throws Exception {
    Path workDir = dir.toAbsolutePath();
    Path root = binaries();
    Files.createDirectories(workDir);
    Path om = workDir.resolve("data.om");
    Files.writeString(om, openMetrics);
    Path tsdb = workDir.resolve("tsdb");
    deleteRecursively(tsdb);
    run(
        List.of(
            root.resolve("usr/bin/promtool").toString(),
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            om.toString(),
            tsdb.toString()),
        workDir,
        Duration.ofMinutes(2));
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 15s\n  evaluation_interval: 1m\n");
    int port = freePort();
    Process p =
        new ProcessBuilder(
                root.resolve("usr/bin/prometheus").toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + tsdb,
                "--storage.tsdb.retention.time=3650d",
                "--web.listen-address=127.0.0.1:" + port,
                "--query.lookback-delta=5m")
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("prometheus.log").toFile())
            .start();
    // Never leave a server behind, even when the test JVM is stopped.
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    RealPrometheus prom = new RealPrometheus(p, port);
    prom.awaitReady(workDir);
    return prom;
  }

  /** The unpacked package root, downloading and unpacking it on first use. */
  public static Path binaries() throws Exception {
    Path root = CACHE.resolve("root");
    Path prometheus = root.resolve("usr/bin/prometheus");
    if (Files.isExecutable(prometheus) && Files.isExecutable(root.resolve("usr/bin/promtool"))) {
      return root;
    }
    Files.createDirectories(CACHE);
    Path deb = findDeb();
    if (deb == null) {
      try {
        run(List.of("apt-get", "download", "prometheus"), CACHE, Duration.ofMinutes(5));
      } catch (IllegalStateException first) {
        run(List.of("apt-get", "update"), CACHE, Duration.ofMinutes(5));
        run(List.of("apt-get", "download", "prometheus"), CACHE, Duration.ofMinutes(5));
      }
      deb = findDeb();
      if (deb == null) {
        throw new IllegalStateException("apt-get download prometheus left no .deb in " + CACHE);
      }
    }
    // Unpack beside and move into place, so a build running at the same time never sees half.
    Path unpacking = CACHE.resolve("root." + ProcessHandle.current().pid());
    deleteRecursively(unpacking);
    run(List.of("dpkg", "-x", deb.toString(), unpacking.toString()), CACHE, Duration.ofMinutes(2));
    if (!Files.isExecutable(unpacking.resolve("usr/bin/prometheus"))) {
      throw new IllegalStateException("the prometheus package has no usr/bin/prometheus: " + deb);
    }
    try {
      Files.move(unpacking, root, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException alreadyThere) {
      deleteRecursively(unpacking);
    }
    return root;
  }

  private static Path findDeb() throws IOException {
    try (var files = Files.list(CACHE)) {
      return files
          .filter(f -> f.getFileName().toString().matches("prometheus_2\\.42\\..*\\.deb"))
          .findFirst()
          .orElse(null);
    }
  }

  private void awaitReady(Path workDir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "prometheus exited: " + Files.readString(workDir.resolve("prometheus.log")));
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("prometheus did not become ready within 60 s");
  }

  /** The raw JSON answer of /api/v1/query_range (times in Unix milliseconds). */
  public String queryRange(String query, long startMs, long endMs, long stepMs) throws Exception {
    return api.queryRange(query, startMs, endMs, stepMs);
  }

  /** The raw JSON answer of /api/v1/query. */
  public String query(String query, long timeMs) throws Exception {
    return api.query(query, timeMs);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void run(List<String> command, Path dir, Duration timeout) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " timed out");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          command + " failed (" + p.exitValue() + "): " + new String(out, StandardCharsets.UTF_8));
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
