package dev.sextant.e2e;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Mastra Studio as a Mastra user runs it against Sextant: {@code mastra studio -h 127.0.0.1 -s
 * <query port>} from the {@code mastra} CLI of the app's install (bound to loopback by a preload),
 * and headless Chromium (Debian's {@code chromium}, installed with apt when missing) rendering its
 * pages. Each render saves a screenshot under {@code target/studio/}.
 */
final class MastraStudio implements AutoCloseable {
  private static final Path SHOTS = Path.of("target", "studio");

  private final Process process;
  private final int port;
  private final Path log;

  private MastraStudio(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static MastraStudio start(MastraApp app, int queryPort) throws Exception {
    ensureChromium();
    int port = RunningSuite.freePort();
    Files.copy(
        RunningSuite.repositoryRoot().resolve("tests/mastra-app/loopback.mjs"),
        app.dir.resolve("loopback.mjs"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path log = Files.createTempFile("mastra-studio", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                app.node().toString(),
                "--import",
                "./loopback.mjs",
                "node_modules/mastra/dist/index.js",
                "studio",
                "-p",
                Integer.toString(port),
                "-h",
                "127.0.0.1",
                "-s",
                Integer.toString(queryPort))
            .directory(app.dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("MASTRA_TELEMETRY_DISABLED", "1");
    Process process = builder.start();
    MastraStudio studio = new MastraStudio(process, port, log);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!studio.listening()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        studio.close();
        throw new IllegalStateException("mastra studio did not start:\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
    Files.createDirectories(SHOTS);
    return studio;
  }

  private boolean listening() {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The page's DOM once Studio rendered it (Chromium's virtual time budget waits for its data), and
   * a screenshot of it as {@code target/studio/<name>.png}.
   */
  String render(String path, String name) throws Exception {
    String url = "http://127.0.0.1:" + port + path;
    String dom = chromium("--dump-dom", url);
    Path shot = SHOTS.resolve(name + ".png").toAbsolutePath();
    chromium("--screenshot=" + shot, url);
    if (!Files.exists(shot)) {
      throw new IllegalStateException("no screenshot of " + url);
    }
    return dom;
  }

  private static String chromium(String what, String url) throws Exception {
    return MastraApp.run(
        Path.of("."),
        Duration.ofMinutes(2),
        Map.of(),
        List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1400,900",
                "--virtual-time-budget=20000",
                what,
                url)
            .toArray(String[]::new));
  }

  private static void ensureChromium() throws Exception {
    try {
      MastraApp.run(Path.of("."), Duration.ofMinutes(1), Map.of(), "chromium", "--version");
    } catch (IOException missing) {
      MastraApp.aptInstall("chromium");
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    Files.deleteIfExists(log);
  }
}
