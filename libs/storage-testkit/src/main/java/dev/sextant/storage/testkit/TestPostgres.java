package dev.sextant.storage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for tests: {@code initdb} into a temporary directory, {@code
 * pg_ctl start} on a free loopback port with TLS on, a login role and database for Sextant, and
 * everything removed when the JVM exits. One cluster per test JVM ({@link #shared()}); tests
 * isolate themselves by schema.
 *
 * <p>Where the binaries come from: {@code SEXTANT_PG_BIN} if set, else the newest {@code
 * /usr/lib/postgresql/<version>/bin} (Debian's packages); if there is none and we are root, {@code
 * apt-get install postgresql} first. Anything missing fails loudly: these tests never skip.
 *
 * <p>Running as root: {@code initdb} and {@code postgres} refuse to run as root, so the cluster's
 * files are given to the unprivileged {@code postgres} user (or {@code nobody} where there is none)
 * and every server command runs as that user through {@code runuser}. As any other user the
 * commands run directly.
 *
 * <p>The cluster trades durability for speed ({@code fsync=off}, {@code synchronous_commit=off} as
 * the server's default; Sextant's sessions commit synchronously all the same): it holds test data
 * only. Benchmarks that quote figures start it with {@link #durable()} settings.
 */
public final class TestPostgres implements AutoCloseable {
  public static final String DATABASE = "sextant";
  public static final String USER = "sextant";
  public static final String PASSWORD = "sextant-test-password";
  private static final String SUPERUSER_PASSWORD = "superuser-test-password";

  private static TestPostgres shared;

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final String osUser;
  private final int port;
  private final boolean durable;

  private TestPostgres(Path bin, Path dir, String osUser, int port, boolean durable) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.osUser = osUser;
    this.port = port;
    this.durable = durable;
  }

  /** The cluster of this JVM, created and started on first use, removed when the JVM exits. */
  public static synchronized TestPostgres shared() {
    if (shared == null) {
      shared = create(false);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** A new cluster with fsync and synchronous commit on, as a production server runs. */
  public static TestPostgres durable() {
    TestPostgres cluster = create(true);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
    return cluster;
  }

  private static TestPostgres create(boolean durable) {
    try {
      Path bin = binaries();
      Path dir = Files.createTempDirectory("sextant-pg");
      String osUser = isRoot() ? unprivilegedUser() : null;
      TestPostgres cluster = new TestPostgres(bin, dir, osUser, freePort(), durable);
      cluster.initialize();
      cluster.start();
      cluster.createDatabase();
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a PostgreSQL cluster", e);
    }
  }

  /** {@code postgresql://sextant:...@127.0.0.1:port/sextant}, without TLS. */
  public String url() {
    return "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + DATABASE;
  }

  public int port() {
    return port;
  }

  /** The PEM certificate the server presents (self-signed for {@code localhost}). */
  public Path serverCertificate() {
    return dir.resolve("server.crt");
  }

  /** Settings for a Sextant backend in its own schema of this cluster. */
  public Map<String, String> settings(String schema) {
    return Map.of("url", url(), "schema", schema);
  }

  /** Starts the server (again); waits until it accepts connections. */
  public synchronized void start() {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "start"),
        Duration.ofSeconds(90));
  }

  /** Starts the server unless it runs (a test that stopped it failed before starting it). */
  public synchronized void startIfStopped() {
    if (!Files.exists(data.resolve("postmaster.pid"))) {
      start();
    }
  }

  /**
   * Stops the server. {@code immediate} kills it as a crash would (recovery on the next start);
   * otherwise it disconnects every client and shuts down cleanly.
   */
  public synchronized void stop(boolean immediate) {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-w",
            "-t",
            "60",
            "-m",
            immediate ? "immediate" : "fast",
            "stop"),
        Duration.ofSeconds(90));
  }

  /** Runs SQL as the superuser with psql and returns what it printed (tuples only, unaligned). */
  public String superuserSql(String sql) {
    return psql(DATABASE, sql, "-A", "-t");
  }

  @Override
  public synchronized void close() {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        stop(true);
      }
    } catch (RuntimeException ignored) {
      // Removing the directory below is what matters now.
    }
    keepLogIfAProcessDied();
    TempDirs.deleteQuietly(dir);
  }

  /** Where {@link #close()} keeps the server log of a cluster one of whose processes died. */
  public Path keptLog() {
    return Path.of("target", "test-postgres", dir.getFileName() + "-server.log").toAbsolutePath();
  }

  /**
   * The directory goes with the cluster, and with it the only account of why a server process died
   * under a test (killed, crashed): such a log is copied out first.
   */
  private void keepLogIfAProcessDied() {
    Path log = dir.resolve("server.log");
    try {
      if (Files.exists(log)) {
        String text = Files.readString(log);
        if (text.contains("terminated by signal") || text.contains("PANIC")) {
          Files.createDirectories(keptLog().getParent());
          Files.copy(log, keptLog(), StandardCopyOption.REPLACE_EXISTING);
          System.err.println(
              "TestPostgres: a server process died; its log is kept at " + keptLog());
        }
      }
    } catch (IOException e) {
      System.err.println("TestPostgres: could not keep the server log: " + e);
    }
  }

  // ------------------------------------------------------------------ setup

  private void initialize() throws IOException {
    Path passwordFile = dir.resolve("superuser.pw");
    Files.writeString(passwordFile, SUPERUSER_PASSWORD + "\n");
    certificate();
    if (osUser != null) {
      command(List.of("chown", "-R", osUser, dir.toString()), Duration.ofSeconds(30));
    }
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            "postgres",
            "--pwfile=" + passwordFile,
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync"),
        Duration.ofMinutes(2));
    List<String> conf = new ArrayList<>();
    conf.add("listen_addresses = '127.0.0.1'");
    conf.add("port = " + port);
    conf.add("unix_socket_directories = '" + dir + "'");
    conf.add("max_connections = 200");
    conf.add("ssl = on");
    conf.add("ssl_cert_file = '" + dir.resolve("server.crt") + "'");
    conf.add("ssl_key_file = '" + dir.resolve("server.key") + "'");
    conf.add("log_min_messages = warning");
    if (durable) {
      conf.add("shared_buffers = '512MB'");
      conf.add("max_wal_size = '4GB'");
    } else {
      conf.add("fsync = off");
      conf.add("synchronous_commit = off");
      conf.add("full_page_writes = off");
    }
    Files.write(
        data.resolve("postgresql.conf"),
        conf,
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
  }

  /** A self-signed certificate for localhost and 127.0.0.1, made with openssl. */
  private void certificate() {
    command(
        List.of(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            dir.resolve("server.key").toString(),
            "-out",
            dir.resolve("server.crt").toString()),
        Duration.ofSeconds(60));
    try {
      Files.setPosixFilePermissions(
          dir.resolve("server.key"),
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void createDatabase() {
    superuserSqlOn("postgres", "CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
    superuserSqlOn("postgres", "CREATE DATABASE " + DATABASE + " OWNER " + USER);
  }

  private void superuserSqlOn(String database, String sql) {
    psql(database, sql);
  }

  /** psql as the superuser on {@code database}, stopping at the first error. */
  private String psql(String database, String sql, String... options) {
    List<String> command = new ArrayList<>(List.of(bin.resolve("psql").toString(), "-X", "-q"));
    command.addAll(List.of(options));
    command.addAll(
        List.of(
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-U",
            "postgres",
            "-d",
            database,
            "-c",
            sql));
    return run(command, Duration.ofSeconds(60));
  }

  // ------------------------------------------------------------------ processes

  /** Runs a PostgreSQL binary as the cluster's OS user. */
  private String run(List<String> command, Duration timeout) {
    List<String> full = new ArrayList<>();
    if (osUser != null) {
      full.addAll(List.of("runuser", "-u", osUser, "--"));
    }
    full.addAll(command);
    return command(full, timeout);
  }

  private String command(List<String> command, Duration timeout) {
    try {
      Path output = Files.createTempFile("sextant-pg-cmd", ".log");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .directory(dir.toFile());
        builder.environment().put("PGPASSWORD", SUPERUSER_PASSWORD);
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              "timed out after " + timeout + ": " + command + "\n" + Files.readString(output));
        }
        String printed = Files.readString(output);
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              "failed (exit " + process.exitValue() + "): " + command + "\n" + printed + log());
        }
        return printed;
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  private String log() {
    Path log = dir.resolve("server.log");
    try {
      return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  // ------------------------------------------------------------------ the machine

  /** The directory holding initdb, pg_ctl, postgres and psql. */
  static Path binaries() {
    String configured = System.getenv("SEXTANT_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return requireBinaries(Path.of(configured));
    }
    Path found = newestDebianBinaries();
    if (found == null && isRoot()) {
      installDebianPackage();
      found = newestDebianBinaries();
    }
    if (found == null) {
      throw new IllegalStateException(
          "no PostgreSQL binaries: install Debian's postgresql package (apt-get install"
              + " postgresql) or point SEXTANT_PG_BIN at a directory holding initdb and pg_ctl");
    }
    return found;
  }

  private static Path requireBinaries(Path dir) {
    for (String tool : List.of("initdb", "pg_ctl", "postgres", "psql")) {
      if (!Files.isExecutable(dir.resolve(tool))) {
        throw new IllegalStateException(dir + " has no executable " + tool);
      }
    }
    return dir;
  }

  private static Path newestDebianBinaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(v -> v.getFileName().toString().matches("\\d+"))
          .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
          .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
          .map(v -> requireBinaries(v.resolve("bin")))
          .orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void installDebianPackage() {
    for (List<String> step :
        List.of(
            List.of("apt-get", "update"),
            List.of("apt-get", "install", "-y", "--no-install-recommends", "postgresql"))) {
      try {
        Process p = new ProcessBuilder(step).redirectErrorStream(true).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
          throw new IllegalStateException("failed: " + step);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run " + step, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static String unprivilegedUser() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
        if (line.startsWith("postgres:")) {
          return "postgres";
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "nobody";
  }

  private static int freePort() {
    return FreePorts.next();
  }
}
