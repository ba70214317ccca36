package dev.sextant.storage.postgres;

import dev.sextant.storage.json.NulEscape;
import dev.sextant.storage.rollup.RollupTier;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;

/**
 * Rolls up, after start and in the background, the series stored before rollups were (schema
 * version 4; ADR 0016): a large version-4 database would not fit its rollups into the start
 * timeout. Batches of series (holding at most about as many points as a flush takes, but one series
 * whatever its length) go one transaction each under the metric lock ({@link
 * RollupWriter#backfill}), so flushes interleave with them and a process stopped half way leaves
 * whole series done; the next start goes on from there. Every process runs one; they skip what
 * another did.
 *
 * <p>Until a process has seen the backfill finished, its reads ask per series whether it is rolled
 * up (it has a frontier row): one that is not answers from its chunks, as before the upgrade.
 */
final class RollupBackfill {
  private static final System.Logger LOG = System.getLogger(RollupBackfill.class.getName());

  /** Series per transaction: small enough that a flush waiting for the lock is not held up long. */
  static final int BATCH_SERIES = 50;

  private static final Duration RETRY = Duration.ofSeconds(5);

  private static final String ROLLED_UP =
      "SELECT EXISTS (SELECT 1 FROM metric_rollup_frontiers WHERE tenant = $1 AND series_id = $2)"
          + " OR NOT EXISTS (SELECT 1 FROM metric_series WHERE tenant = $1 AND series_id = $2)";

  private static final String FIRST_UNROLLED =
      "SELECT min(s.first_time) FROM metric_series s WHERE s.tenant = $1 AND NOT EXISTS (SELECT 1"
          + " FROM metric_rollup_frontiers f WHERE f.tenant = s.tenant AND f.series_id = s.series_id)";

  private final PgClient client;
  private final String schema;
  private final int batchSeries;
  private final long batchPoints;
  private final Promise<Void> finished = Promise.promise();
  private volatile boolean done;
  private volatile boolean stopped;

  /**
   * @param batchSeries series per transaction at most
   * @param batchPoints stored points per transaction at most (but one series, however long)
   */
  RollupBackfill(PgClient client, String schema, int batchSeries, long batchPoints) {
    this.client = client;
    this.schema = schema;
    this.batchSeries = batchSeries;
    this.batchPoints = batchPoints;
  }

  /** Starts the backfill on the client's event loops; returns at once. */
  void start() {
    client.vertx().runOnContext(x -> next(null));
  }

  private void next(RollupWriter.Cursor after) {
    if (stopped) {
      return;
    }
    RollupWriter.backfill(client.vertxPool(), schema, after, batchSeries, batchPoints)
        .onSuccess(
            batch -> {
              if (batch.more()) {
                next(batch.cursor());
              } else {
                done = true;
                finished.tryComplete();
              }
            })
        .onFailure(
            failure -> {
              if (stopped) {
                return;
              }
              LOG.log(
                  System.Logger.Level.WARNING,
                  "rolling up metrics stored before schema version 5 failed, retrying in "
                      + RETRY.toSeconds()
                      + " s: "
                      + failure.getMessage());
              client.vertx().setTimer(RETRY.toMillis(), id -> next(after));
            });
  }

  /** Stops after the batch in flight (its transaction commits or not as a whole). */
  void stop() {
    stopped = true;
  }

  /** Completes when this process saw no series left to roll up. */
  Future<Void> finished() {
    return finished.future();
  }

  /** Whether the series' stored rollups are complete (an unknown series counts as complete). */
  Future<Boolean> rolledUp(SqlClient sql, String tenant, long seriesId) {
    if (done) {
      return Future.succeededFuture(true);
    }
    return sql.preparedQuery(ROLLED_UP)
        .execute(Tuple.of(NulEscape.escape(tenant), seriesId))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /**
   * The hour before which every series of the tenant is rolled up: {@code Long.MAX_VALUE} once none
   * is left, else the hour of the first sample of the oldest series still waiting.
   */
  Future<Long> rolledUpBefore(SqlClient sql, String tenant) {
    if (done) {
      return Future.succeededFuture(Long.MAX_VALUE);
    }
    return sql.preparedQuery(FIRST_UNROLLED)
        .execute(Tuple.of(NulEscape.escape(tenant)))
        .map(
            rows -> {
              Long first = rows.iterator().next().getLong(0);
              return first == null ? Long.MAX_VALUE : RollupTier.ONE_HOUR.windowStart(first);
            });
  }
}
