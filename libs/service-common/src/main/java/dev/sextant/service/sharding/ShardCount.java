package dev.sextant.service.sharding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.jboss.logging.Logger;

/**
 * How many aggregator shards there are (ADR 0014), as the aggregators and ingest read it: a fixed
 * setting, or a file read again every poll interval (a ConfigMap key mounted as a volume, which the
 * kubelet updates in place), so that scaling the aggregator StatefulSet changes it without
 * restarting anyone.
 *
 * <p>Strict at startup, lenient afterwards: a bad count or an unreadable file fails {@link #open}
 * with a message that names the file, while a file that goes bad later keeps the last good count
 * and logs a warning (once per distinct problem), as a half-edited ConfigMap must not stop metric
 * writes.
 */
public final class ShardCount implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ShardCount.class);

  /** More shards than this is a typo, not a deployment. */
  public static final int MAX = 1024;

  private final Optional<Path> file;
  private volatile int current;
  private String lastProblem = "";
  private IntConsumer onChange = count -> {};
  private ScheduledExecutorService poller;

  private ShardCount(Optional<Path> file, int count) {
    this.file = file;
    this.current = count;
  }

  /**
   * Reads the count: from {@code file} when present, else {@code fixed}.
   *
   * @param setting the name of the setting, for error messages
   * @throws IllegalArgumentException when the count is not within 1..{@link #MAX} or the file
   *     cannot be read
   */
  public static ShardCount open(Optional<Path> file, int fixed, String setting) {
    if (file.isEmpty()) {
      return new ShardCount(file, check(fixed, setting + " = " + fixed));
    }
    return new ShardCount(file, read(file.get()));
  }

  /** The count in force. */
  public int current() {
    return current;
  }

  /** Whether the count can change at runtime (it comes from a file). */
  public boolean polled() {
    return file.isPresent();
  }

  /**
   * Reads the file again (when there is one) and passes a changed count to the watcher. A bad file
   * keeps the count in force. Returns the count in force afterwards.
   */
  public synchronized int poll() {
    if (file.isEmpty()) {
      return current;
    }
    int read;
    try {
      read = read(file.get());
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().equals(lastProblem)) {
        LOG.warnf("%s; keeping the shard count %d", e.getMessage(), current);
        lastProblem = e.getMessage();
      }
      return current;
    }
    lastProblem = "";
    if (read != current) {
      LOG.infof("shard count changed from %d to %d (%s)", current, read, file.get());
      current = read;
      onChange.accept(read);
    }
    return current;
  }

  /**
   * Polls the file every {@code interval} on a daemon thread of its own and calls {@code onChange}
   * with each new count, on that thread. Nothing to poll without a file.
   */
  public synchronized void watch(Duration interval, IntConsumer onChange) {
    this.onChange = onChange;
    if (file.isEmpty() || poller != null) {
      return;
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the shard count poll interval must be positive");
    }
    poller =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "shard-count-poller");
              thread.setDaemon(true);
              return thread;
            });
    long millis = Math.max(1, interval.toMillis());
    poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }

  /** The count written in {@code file}: one whole number, surrounding blanks ignored. */
  static int read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException(
          "shard count file " + file + " cannot be read: " + e.getMessage(), e);
    }
    int count;
    try {
      count = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "shard count file " + file + " holds '" + abbreviate(text) + "', not a whole number");
    }
    return check(count, "shard count file " + file + " holds " + count);
  }

  private static int check(int count, String source) {
    if (count < 1 || count > MAX) {
      throw new IllegalArgumentException(source + ": the shard count must be within 1.." + MAX);
    }
    return count;
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
