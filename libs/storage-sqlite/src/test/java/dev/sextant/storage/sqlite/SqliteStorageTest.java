package dev.sextant.storage.sqlite;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.spanId;
import static dev.sextant.storage.testkit.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sextant.model.Span;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import dev.sextant.storage.testkit.SpanBuilder;
import io.smallrye.mutiny.Uni;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the conformance suite cannot see: files, schema, threads, group commit, errors. */
class SqliteStorageTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  // Several threads start storages at once (severalProcessesStartingAtOnce...).
  private final List<SqliteStorage> opened = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(SqliteStorage::close);
  }

  private SqliteStorage start(SqliteStorage.Builder builder) {
    SqliteStorage storage = builder.build();
    opened.add(storage);
    storage.start();
    return storage;
  }

  private SqliteStorage start() {
    return start(SqliteStorage.builder().dataDir(dataDir));
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(TIMEOUT);
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static Span span(int trace, int span) {
    return SpanBuilder.span(traceId(trace), spanId(span)).start(T0 + span).build();
  }

  // ---------------------------------------------------------------- files and schema

  @Test
  void eachSignalHasItsOwnFileInWalModeWithIncrementalAutoVacuum() throws SQLException {
    start();

    for (Signal signal : Signal.values()) {
      Path file = dataDir.resolve(signal.fileName());
      assertThat(file).exists();
      assertThat(SqliteFiles.pragma(file, "journal_mode")).isEqualTo("wal");
      assertThat(SqliteFiles.pragma(file, "auto_vacuum")).as("INCREMENTAL").isEqualTo("2");
      assertThat(SqliteFiles.pragma(file, "user_version"))
          .isEqualTo(Integer.toString(signal.latestVersion()));
    }
  }

  @Test
  void buildingDoesNoIo() {
    Path nowhere = dataDir.resolve("not-yet");

    SqliteStorage.builder().dataDir(nowhere).build();

    assertThat(nowhere).doesNotExist();
  }

  @Test
  void aDatabaseNewerThanTheCodeFailsStartClearly() throws SQLException {
    start().close();
    SqliteFiles.execute(dataDir.resolve("spans.db"), "PRAGMA user_version = 99");

    StorageException failure = catchThrowableOfType(StorageException.class, () -> start());

    assertThat(failure.code()).isEqualTo(Code.INTERNAL);
    assertThat(failure.getMessage())
        .contains("spans.db")
        .contains("schema version 99")
        .contains("newer Sextant");
  }

  @Test
  void severalProcessesStartingAtOnceMigrateOnceAndAllWork() throws Exception {
    int processes = 4;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(processes);
    try {
      List<Future<SqliteStorage>> started = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        started.add(
            pool.submit(
                () -> {
                  go.await();
                  return start();
                }));
      }
      go.countDown();
      List<SqliteStorage> storages = new ArrayList<>();
      for (Future<SqliteStorage> future : started) {
        storages.add(future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      }

      for (int i = 0; i < processes; i++) {
        await(storages.get(i).spans().write(List.of(span(i + 1, 1))));
      }
      for (SqliteStorage storage : storages) {
        for (int i = 0; i < processes; i++) {
          assertThat(await(storage.spans().trace("acme", traceId(i + 1)))).hasSize(1);
        }
      }
      assertThat(SqliteFiles.pragma(dataDir.resolve("spans.db"), "user_version")).isEqualTo("1");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoWritersOnOneFileTakeTurnsThroughTheBusyTimeout() {
    SqliteStorage ingest = start();
    SqliteStorage retention = start();
    List<Uni<Void>> writes = new ArrayList<>();
    for (int batch = 0; batch < 50; batch++) {
      List<Span> spans = new ArrayList<>();
      for (int s = 1; s <= 20; s++) {
        spans.add(span(batch + 1, s));
      }
      writes.add((batch % 2 == 0 ? ingest : retention).spans().write(spans));
    }

    await(Uni.join().all(writes).andFailFast());

    for (int batch = 0; batch < 50; batch++) {
      assertThat(await(ingest.spans().trace("acme", traceId(batch + 1)))).hasSize(20);
    }
  }

  @Test
  void startFailsAsUnavailableWhenTheDataDirectoryCannotBeCreated() throws Exception {
    Path file = Files.writeString(dataDir.resolve("a-file"), "not a directory");

    StorageException failure =
        catchThrowableOfType(
            StorageException.class, () -> start(SqliteStorage.builder().dataDir(file)));

    assertThat(failure.code()).isEqualTo(Code.UNAVAILABLE);
  }

  // ---------------------------------------------------------------- threads and queues

  /** A write that holds the writer thread until released, to line up what queues behind it. */
  private static final class BlockingTask implements WriteTask<Void> {
    final CountDownLatch running = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public int rows() {
      return 1;
    }

    @Override
    public Void apply(StatementCache statements) throws SQLException {
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }
  }

  @Test
  void writesAndReadsRunOnTheDatabaseThreadsNotTheCallers() throws Exception {
    SqliteStorage storage = start();
    SqliteDatabase spans = storage.database(Signal.SPANS);

    String writer =
        await(
            spans.write(
                new WriteTask<String>() {
                  @Override
                  public int rows() {
                    return 0;
                  }

                  @Override
                  public String apply(StatementCache statements) {
                    return Thread.currentThread().getName();
                  }
                }));
    String reader = await(spans.read(statements -> Thread.currentThread().getName()));

    assertThat(writer).isEqualTo("sextant-sqlite-spans-writer");
    assertThat(reader).startsWith("sextant-sqlite-spans-reader-");
  }

  @Test
  void aFullWriteQueueFailsFastWithOverloaded() throws Exception {
    SqliteStorage storage = start(SqliteStorage.builder().dataDir(dataDir).writeQueueCapacity(2));
    BlockingTask blocker = new BlockingTask();
    CompletableFuture<Void> blocked = storage.database(Signal.SPANS).write(blocker);
    blocker.running.await();

    CompletableFuture<Void> first =
        storage.spans().write(List.of(span(1, 1))).subscribeAsCompletionStage();
    CompletableFuture<Void> second =
        storage.spans().write(List.of(span(2, 1))).subscribeAsCompletionStage();
    StorageException overloaded =
        catchThrowableOfType(
            StorageException.class, () -> await(storage.spans().write(List.of(span(3, 1)))));

    assertThat(overloaded.code()).isEqualTo(Code.OVERLOADED);
    assertThat(overloaded.retryable()).isTrue();
    blocker.release.countDown();
    await(blocked);
    await(first);
    await(second);
    assertThat(await(storage.spans().trace("acme", traceId(2)))).hasSize(1);
    assertThat(await(storage.spans().trace("acme", traceId(3)))).isEmpty();
  }

  @Test
  void queuedWritesAreCommittedTogetherInOneTransaction() throws Exception {
    SqliteStorage storage = start();
    SqliteWriter writer = storage.database(Signal.SPANS).writer();
    BlockingTask blocker = new BlockingTask();
    CompletableFuture<Void> blocked = storage.database(Signal.SPANS).write(blocker);
    blocker.running.await();
    long commitsBefore = writer.commits();

    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      writes.add(
          storage.spans().write(List.of(span(i, 1), span(i, 2))).subscribeAsCompletionStage());
    }
    assertThat(writer.queued()).isEqualTo(10);
    blocker.release.countDown();
    await(blocked);
    for (CompletableFuture<Void> write : writes) {
      await(write);
    }

    assertThat(writer.commits() - commitsBefore).as("the blocker's and one group").isEqualTo(2);
    for (int i = 1; i <= 10; i++) {
      assertThat(await(storage.spans().trace("acme", traceId(i)))).hasSize(2);
    }
  }

  @Test
  void aFailingWriteFailsAloneAndTheRestOfItsGroupCommits() throws Exception {
    SqliteStorage storage = start();
    SqliteDatabase spans = storage.database(Signal.SPANS);
    BlockingTask blocker = new BlockingTask();
    CompletableFuture<Void> blocked = spans.write(blocker);
    blocker.running.await();

    CompletableFuture<Void> before =
        storage.spans().write(List.of(span(1, 1))).subscribeAsCompletionStage();
    CompletableFuture<Void> broken =
        spans.write(
            new WriteTask<Void>() {
              @Override
              public int rows() {
                return 1;
              }

              @Override
              public Void apply(StatementCache statements) throws SQLException {
                statements
                    .prepare(
                        "INSERT INTO spans (tenant, trace_id, span_id) VALUES ('acme', ?, 'x')")
                    .executeUpdate();
                return null;
              }
            });
    CompletableFuture<Void> after =
        storage.spans().write(List.of(span(2, 1))).subscribeAsCompletionStage();
    blocker.release.countDown();
    await(blocked);

    await(before);
    await(after);
    Throwable failure = catchThrowable(broken::join);
    assertThat(failure)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.code()).isEqualTo(Code.INTERNAL));
    assertThat(await(storage.spans().trace("acme", traceId(1)))).hasSize(1);
    assertThat(await(storage.spans().trace("acme", traceId(2)))).hasSize(1);
  }

  // ---------------------------------------------------------------- errors

  @Test
  void aLockHeldTooLongByAnotherProcessIsOverload() throws Exception {
    SqliteStorage storage =
        start(SqliteStorage.builder().dataDir(dataDir).busyTimeout(Duration.ofMillis(50)));
    try (Connection other = SqliteFiles.open(dataDir.resolve("spans.db"));
        Statement statement = other.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");

      StorageException failure =
          catchThrowableOfType(
              StorageException.class, () -> await(storage.spans().write(List.of(span(1, 1)))));

      assertThat(failure.code()).isEqualTo(Code.OVERLOADED);
      statement.execute("ROLLBACK");
    }
    await(storage.spans().write(List.of(span(1, 1))));
    assertThat(await(storage.spans().trace("acme", traceId(1)))).hasSize(1);
  }

  @Test
  void aFullDiskIsUnavailable() throws Exception {
    SqliteStorage storage = start();
    SqliteDatabase spans = storage.database(Signal.SPANS);
    long pages =
        await(
            spans.write(
                new WriteTask<Long>() {
                  @Override
                  public int rows() {
                    return 0;
                  }

                  @Override
                  public Long apply(StatementCache statements) throws SQLException {
                    // Caps this connection's file size: SQLite answers SQLITE_FULL beyond it.
                    statements.execute("PRAGMA max_page_count = 64");
                    return 64L;
                  }
                }));
    List<Span> big = new ArrayList<>();
    for (int i = 1; i <= 2_000; i++) {
      big.add(
          SpanBuilder.span(traceId(i), spanId(1)).attribute("padding", "x".repeat(200)).build());
    }

    StorageException failure =
        catchThrowableOfType(StorageException.class, () -> await(storage.spans().write(big)));

    assertThat(pages).isEqualTo(64);
    assertThat(failure.code()).isEqualTo(Code.UNAVAILABLE);
    assertThat(failure.retryable()).isTrue();
  }

  @Test
  void sqliteResultCodesMapToStorageCodes() {
    assertThat(SqliteErrors.codeOf(5)).as("BUSY").isEqualTo(Code.OVERLOADED);
    assertThat(SqliteErrors.codeOf(517)).as("BUSY_SNAPSHOT").isEqualTo(Code.OVERLOADED);
    assertThat(SqliteErrors.codeOf(6)).as("LOCKED").isEqualTo(Code.OVERLOADED);
    assertThat(SqliteErrors.codeOf(13)).as("FULL").isEqualTo(Code.UNAVAILABLE);
    assertThat(SqliteErrors.codeOf(10)).as("IOERR").isEqualTo(Code.UNAVAILABLE);
    assertThat(SqliteErrors.codeOf(266)).as("IOERR_READ").isEqualTo(Code.UNAVAILABLE);
    assertThat(SqliteErrors.codeOf(14)).as("CANTOPEN").isEqualTo(Code.UNAVAILABLE);
    assertThat(SqliteErrors.codeOf(1)).as("ERROR").isEqualTo(Code.INTERNAL);
    assertThat(SqliteErrors.codeOf(19)).as("CONSTRAINT").isEqualTo(Code.INTERNAL);
    assertThat(SqliteErrors.codeOf(11)).as("CORRUPT").isEqualTo(Code.INTERNAL);
  }

  // ---------------------------------------------------------------- retention

  @Test
  void deletingGivesTheSpaceBackToTheFileSystem() throws Exception {
    SqliteStorage storage = start();
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 5_000; i++) {
      spans.add(
          SpanBuilder.span(traceId(i), spanId(1))
              .start(T0 + i)
              .attribute("payload", "y".repeat(1_000))
              .build());
    }
    await(storage.spans().write(spans));
    SqliteDatabase database = storage.database(Signal.SPANS);
    long before = await(database.read(statements -> pageCount(statements)));

    assertThat(await(storage.spans().deleteOlderThan(T0 + 4_001))).isEqualTo(4_000);

    long after = await(database.read(statements -> pageCount(statements)));
    long free = await(database.read(Retention::freePages));
    assertThat(after).isLessThan(before / 3);
    assertThat(free).isZero();
  }

  private static long pageCount(StatementCache statements) throws SQLException {
    try (var rows = statements.prepare("PRAGMA page_count").executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
