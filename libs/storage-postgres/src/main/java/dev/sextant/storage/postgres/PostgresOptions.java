package dev.sextant.storage.postgres;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.time.Duration;
import java.util.Map;

/** The validated settings of a {@link PostgresStorage}; see its builder for each one's meaning. */
record PostgresOptions(
    String url,
    String user,
    String password,
    java.nio.file.Path passwordFile,
    String schema,
    SslMode sslMode,
    String sslRootCert,
    String sslCert,
    String sslKey,
    int eventLoops,
    int poolSize,
    int poolWaitQueue,
    int pipeliningLimit,
    Duration connectTimeout,
    Duration statementTimeout,
    Duration lockTimeout,
    int partitionDaysAhead,
    int deleteBatchRows,
    long safeIngestRecordsPerSecond,
    MetricOptions metrics) {

  /** What the metric store is tuned by (ADR 0012). */
  record MetricOptions(
      Duration flushInterval,
      int maxChunkPoints,
      int compactionFanIn,
      int maxPointsPerFlush,
      int backfillBatchSeries,
      int flushBatchSeries,
      boolean backfillAtStart) {}

  /** The client's connection settings: the URL, then the explicit user, password and TLS. */
  PgConnectOptions connectOptions() {
    String uri = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
    PgConnectOptions connect = PgConnectOptions.fromUri(uri);
    if (user != null) {
      connect.setUser(user);
    }
    if (password != null) {
      connect.setPassword(password);
    }
    if (passwordFile != null) {
      connect.setPassword(PostgresStorage.readPassword(passwordFile));
    }
    if (sslMode != null) {
      connect.setSslMode(sslMode);
    }
    if (sslRootCert != null) {
      connect.setPemTrustOptions(new PemTrustOptions().addCertPath(sslRootCert));
    } else if (connect.getSslMode() == SslMode.REQUIRE
        || connect.getSslMode() == SslMode.PREFER
        || connect.getSslMode() == SslMode.ALLOW) {
      // libpq's meaning of these modes: encrypt, but verify the server only with a root cert.
      connect.setTrustAll(true);
    }
    if (connect.getSslMode() == SslMode.VERIFY_FULL) {
      connect.setHostnameVerificationAlgorithm("HTTPS");
    }
    if (sslCert != null && sslKey != null) {
      connect.setPemKeyCertOptions(new PemKeyCertOptions().addCertPath(sslCert).addKeyPath(sslKey));
    }
    connect
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512)
        .setPipeliningLimit(pipeliningLimit)
        .setConnectTimeout((int) connectTimeout.toMillis())
        .setReconnectAttempts(0);
    connect.setProperties(
        Map.of(
            "client_min_messages",
            "warning",
            "application_name",
            "sextant",
            "search_path",
            schema,
            // Acknowledged means stored: a commit returns only once its WAL is flushed, whatever
            // the server's default (synchronous_commit=off could lose acknowledged writes).
            "synchronous_commit",
            "on",
            "statement_timeout",
            Long.toString(statementTimeout.toMillis()),
            "lock_timeout",
            Long.toString(lockTimeout.toMillis())));
    return connect;
  }
}
