package dev.sextant.storage.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Merges blocks so a read visits few: once a level holds {@code compactionFanIn} ready blocks, the
 * oldest of them become one block of the next level (levels 0 to {@link MetricOptions#TOP_LEVEL}).
 * Merging level 0 into 1 also rolls the points up ({@link CompactionSlice}). Only the lease holder
 * compacts, one job at a time, as a chain of small transactions on the writer thread: plan, one per
 * slice of series, swap, and removal of the merged blocks' rows. The new block stays invisible
 * until the swap, which lists it and unlists the merged ones in one transaction — unless retention
 * changed one of them meanwhile (its version), when the job is dropped and planned again.
 */
final class Compactor {
  private static final Logger LOG = Logger.getLogger(Compactor.class.getName());

  /** Source pages per slice transaction: tens of milliseconds of work. */
  static final int PAGES_PER_SLICE = 800;

  private static final int GARBAGE_ROWS_PER_STEP = 2_000;

  private final MetricWriter writer;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean stopped;

  Compactor(MetricWriter writer) {
    this.writer = writer;
  }

  /** Starts a job if none runs and one is due; any thread. */
  void maybeStart() {
    if (stopped || !writer.lease().isOwner() || !running.compareAndSet(false, true)) {
      return;
    }
    next();
  }

  /** No job starts any more (the lease is gone, or the store closes); a running one is dropped. */
  void stop() {
    stopped = true;
  }

  /** This process holds the lease (again). */
  void resume() {
    stopped = false;
  }

  boolean isRunning() {
    return running.get();
  }

  private void next() {
    if (stopped) {
      running.set(false);
      return;
    }
    submit(new Plan())
        .whenComplete(
            (job, failure) -> {
              if (failure != null || job == null) {
                if (failure != null) {
                  LOG.log(Level.WARNING, "metric compaction planning failed", failure);
                }
                running.set(false);
                return;
              }
              run(job, 0);
            });
  }

  private void run(CompactionJob job, int slice) {
    CompletableFuture<?> step;
    if (stopped) {
      running.set(false);
      return;
    }
    if (slice < job.slices().size()) {
      step =
          submit(new CompactionSlice(writer, job, job.slices().get(slice)))
              .thenRun(() -> run(job, slice + 1));
    } else {
      step =
          submit(new Swap(job))
              .thenCompose(
                  ignored ->
                      Blocks.collectAllGarbage(writer.database().require(), GARBAGE_ROWS_PER_STEP))
              .thenRun(this::next);
    }
    step.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            // The unfinished block stays unready; the next plan removes it.
            LOG.log(Level.WARNING, "metric compaction failed; it is planned again", failure);
            running.set(false);
          }
        });
  }

  private <T> CompletableFuture<T> submit(WriteTask<T> task) {
    return writer.database().require().writeInternal(task);
  }

  /** Whether this process still holds the lease; a step of a job checks before it writes. */
  private boolean holdsLease(StatementCache statements) throws SQLException {
    return !stopped && WriterLease.read(statements).session() == writer.lease().session();
  }

  /**
   * Finds the lowest level with enough blocks and creates the unready block its merge fills;
   * removes what a crashed job left unready. Null when nothing is due.
   */
  private final class Plan implements WriteTask<CompactionJob> {
    @Override
    public int rows() {
      return 1;
    }

    @Override
    public CompactionJob apply(StatementCache statements) throws SQLException {
      if (!holdsLease(statements)) {
        return null;
      }
      try (ResultSet rows =
          statements.prepare("SELECT id FROM blocks WHERE ready = 0").executeQuery()) {
        List<Long> unready = new ArrayList<>();
        while (rows.next()) {
          unready.add(rows.getLong(1));
        }
        for (long id : unready) {
          Blocks.discard(statements, id);
        }
      }
      int fanIn = writer.options().compactionFanIn();
      for (int level = 0; level < MetricOptions.TOP_LEVEL; level++) {
        List<Block> ready = Blocks.ready(statements, level);
        if (ready.size() >= fanIn) {
          return CompactionJob.create(statements, level, ready.subList(0, fanIn));
        }
      }
      return null;
    }
  }

  /** Lists the new block and unlists the merged ones, if none changed meanwhile. */
  private final class Swap implements WriteTask<Boolean> {
    private final CompactionJob job;

    Swap(CompactionJob job) {
      this.job = job;
    }

    @Override
    public int rows() {
      return job.sources().size() + 1;
    }

    @Override
    public Boolean apply(StatementCache statements) throws SQLException {
      boolean unchanged = holdsLease(statements);
      PreparedStatement select =
          statements.prepare("SELECT version, ready FROM blocks WHERE id = ?");
      for (Block source : job.sources()) {
        select.setLong(1, source.id());
        try (ResultSet rows = select.executeQuery()) {
          unchanged &= rows.next() && rows.getLong(1) == source.version() && rows.getInt(2) == 1;
        }
      }
      if (!unchanged) {
        Blocks.discard(statements, job.target());
        return false;
      }
      PreparedStatement ready = statements.prepare("UPDATE blocks SET ready = 1 WHERE id = ?");
      ready.setLong(1, job.target());
      ready.executeUpdate();
      for (Block source : job.sources()) {
        Blocks.discard(statements, source.id());
      }
      return true;
    }
  }
}
