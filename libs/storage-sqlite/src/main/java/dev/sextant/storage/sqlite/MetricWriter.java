package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricWrite;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import io.smallrye.mutiny.Uni;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The write side of the metric store in one process: appends writes to the log, and while this
 * process holds the writer lease keeps the head, flushes it every flush interval (or when it grows
 * past its cap) and has the compactor merge older blocks. Tasks run on the database's writer
 * thread; a scheduler thread only queues them.
 */
final class MetricWriter {
  private static final Logger LOG = Logger.getLogger(MetricWriter.class.getName());

  private final DatabaseAccess database;
  private final MetricOptions options;
  private final TenantRefs tenantRefs;
  private final LongSupplier clock;
  private final MetricHead head = new MetricHead();
  private final SeriesCatalog catalog = new SeriesCatalog();
  private final WriterLease lease;
  private final Compactor compactor;
  private ScheduledExecutorService scheduler;

  private final Object flushLock = new Object();

  /** The flush queued and not yet started, which a flush request may join. */
  private CompletableFuture<Boolean> queuedFlush;

  /** Whether this process appended to the log (it then claims a free lease on its ticks). */
  private volatile boolean hasWritten;

  private long retentionEpoch;

  MetricWriter(
      DatabaseAccess database, MetricOptions options, TenantRefs tenantRefs, LongSupplier clock) {
    this.database = database;
    this.options = options;
    this.tenantRefs = tenantRefs;
    this.clock = clock;
    this.lease = new WriterLease(options.leaseTimeout().toMillis());
    this.compactor = new Compactor(this);
  }

  MetricHead head() {
    return head;
  }

  WriterLease lease() {
    return lease;
  }

  SeriesCatalog catalog() {
    return catalog;
  }

  TenantRefs tenantRefs() {
    return tenantRefs;
  }

  MetricOptions options() {
    return options;
  }

  DatabaseAccess database() {
    return database;
  }

  long nowMillis() {
    return clock.getAsLong();
  }

  /** Starts the flush ticks; the database is open. */
  void start() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            task ->
                Thread.ofPlatform()
                    .name("sextant-sqlite-metrics-flush")
                    .daemon(true)
                    .unstarted(task));
    long every = options.flushInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------------ writes

  Uni<Void> write(List<MetricWrite> writes) {
    if (writes.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return database.write(() -> new WalAppend(this, writes));
  }

  /** A log row committed (writer thread). */
  void wrote() {
    hasWritten = true;
  }

  /** The head took points (writer thread): flush early when it holds too many. */
  void headGrew() {
    if (head.points() >= options.maxHeadPoints()) {
      requestFlush();
    }
  }

  // ------------------------------------------------------------------ lease

  /** Committed: this process now holds the lease; rows below {@code headFrom} get picked up. */
  void tookLease(long headFrom, long nowMillis) {
    boolean already = lease.isOwner();
    lease.took(headFrom, nowMillis);
    if (!already) {
      // A new holder knows nothing of what is stored: load it as series come.
      head.forgetStoredState();
      compactor.resume();
      requestFlush();
    }
  }

  void lostLease() {
    LOG.info("another process took the metric writer lease; this one stops flushing");
    lease.lost();
    head.clear();
    compactor.stop();
  }

  void retentionEpoch(long epoch) {
    if (epoch != retentionEpoch) {
      retentionEpoch = epoch;
      head.forgetStoredState();
      catalog.startEpoch(epoch);
    }
  }

  /** Takes the lease whatever its state (the aggregator starting), then flushes everything. */
  CompletableFuture<Void> startWriting() {
    return database
        .require()
        .writeInternal(new TakeLease(true))
        .thenCompose(ignored -> requestFlush())
        .thenApply(ignored -> null);
  }

  /** Takes the lease in a transaction of its own; only if free unless {@code steal}. */
  private final class TakeLease implements WriteTask<Long> {
    private final boolean steal;
    private final long now = nowMillis();

    TakeLease(boolean steal) {
      this.steal = steal;
    }

    @Override
    public int rows() {
      return 1;
    }

    @Override
    public Long apply(StatementCache statements) throws SQLException {
      WriterLease.Row row = WriterLease.read(statements);
      if (lease.isOwner() && row.session() == lease.session()) {
        return -1L;
      }
      if (!steal && !lease.isFree(row, now)) {
        return -1L;
      }
      return lease.take(statements, now);
    }

    @Override
    public void committed(Long headFrom) {
      if (headFrom >= 0) {
        tookLease(headFrom, now);
      }
    }
  }

  // ------------------------------------------------------------------ flushes

  /**
   * Makes every completed write readable. The lease holder flushes; another process takes a free
   * lease and flushes, or else waits until the holder has flushed its rows.
   */
  CompletableFuture<Void> flush() {
    CompletableFuture<Boolean> took =
        lease.isOwner()
            ? CompletableFuture.completedFuture(true)
            : database
                .require()
                .writeInternal(new TakeLease(false))
                .thenApply(ignored -> lease.isOwner());
    return took.thenCompose(
        owner -> owner ? requestFlush().thenApply(ignored -> null) : waitForOwnRows(0));
  }

  /** A flush that starts after this call; joins one queued but not started yet. */
  CompletableFuture<Boolean> requestFlush() {
    synchronized (flushLock) {
      // A flush that failed before it started (the writer could not open a transaction) is done
      // without having flushed: queue a new one rather than hand out its failure for ever.
      if (queuedFlush != null && !queuedFlush.isDone()) {
        return queuedFlush;
      }
      CompletableFuture<Boolean> flush =
          database.require().writeInternal(new FlushTask(this, nowMillis()));
      queuedFlush = flush;
      return flush;
    }
  }

  /** Called by a flush as it starts: later requests queue another one. */
  void flushStarted() {
    synchronized (flushLock) {
      queuedFlush = null;
    }
  }

  /** A flush committed (writer thread). */
  void flushed() {
    compactor.maybeStart();
  }

  Compactor compactor() {
    return compactor;
  }

  private CompletableFuture<Void> waitForOwnRows(int attempt) {
    long limit = Math.max(50, options.leaseTimeout().toMillis() / 50);
    return database
        .require()
        .read(
            statements -> {
              var count = statements.prepare("SELECT count(*) FROM wal WHERE session = ?");
              count.setLong(1, lease.session());
              try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
              }
            })
        .thenCompose(
            left -> {
              if (left == 0) {
                return CompletableFuture.completedFuture(null);
              }
              if (attempt >= limit) {
                return CompletableFuture.failedFuture(
                    new StorageException(
                        Code.UNAVAILABLE,
                        "the metric writer did not flush this process's writes in time"));
              }
              return CompletableFuture.supplyAsync(
                      () -> null, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))
                  .thenCompose(ignored -> flush().thenCompose(done -> waitForOwnRows(attempt + 1)));
            });
  }

  private void tick() {
    try {
      if (lease.isOwner()) {
        requestFlush();
        compactor.maybeStart();
      } else if (hasWritten) {
        database.require().writeInternal(new TakeLease(false));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "metric flush tick failed", e);
    }
  }

  /**
   * Stops the ticks; unless {@code crash}, flushes the head and gives the lease up, so the next
   * writer starts at once. {@code crash} leaves everything as a killed process would.
   */
  void close(boolean crash) {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    compactor.stop();
    if (crash) {
      return;
    }
    if (!lease.isOwner()) {
      if (hasWritten) {
        // Hand this process's log rows over: to the holder, or by flushing them if nobody holds
        // the lease. If neither happens in time they wait in the log for the next writer.
        try {
          flush()
              .get(Math.max(2_000, 3 * options.flushInterval().toMillis()), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          LOG.log(
              Level.FINE, "this process's metric writes wait in the log for the next writer", e);
        }
      }
      if (!lease.isOwner()) {
        return;
      }
    }
    try {
      requestFlush()
          .thenCompose(
              ignored ->
                  database
                      .require()
                      .writeInternal(
                          new WriteTask<Void>() {
                            @Override
                            public int rows() {
                              return 1;
                            }

                            @Override
                            public Void apply(StatementCache statements) throws SQLException {
                              lease.release(statements);
                              return null;
                            }

                            @Override
                            public void committed(Void ignored) {
                              lease.released();
                            }
                          }))
          .get(options.leaseTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "final metric flush failed; the next writer replays the log", e);
    }
  }
}
