package dev.sextant.storage.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import io.smallrye.mutiny.Uni;
import java.io.InputStream;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The one way this backend talks to ClickHouse (every table name is qualified with the database):
 * SQL with server-side parameters ({@code {name:Type}} placeholders, values sent apart from the
 * text, so no user input ever becomes query text), RowBinary answers, RowBinary inserts. The client
 * blocks, so every request runs on a small bounded pool of this backend's own threads, never on the
 * caller's (an event loop must not block); a full queue fails at once as {@code OVERLOADED}.
 */
final class ClickHouseAccess implements AutoCloseable {

  /** The lifecycle every operation checks first. */
  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final ClickHouseOptions options;
  private volatile State state = State.NEW;
  private volatile Client client;

  /** In cluster mode without ON CLUSTER DDL: one client per node, for DDL and deletes. */
  private volatile List<Client> nodeClients = List.of();

  private volatile ThreadPoolExecutor executor;

  /** Inserts of rows ({@link #insert}), carried together per table. */
  private final InsertBatcher batcher;

  ClickHouseAccess(ClickHouseOptions options) {
    this.options = options;
    this.batcher =
        new InsertBatcher(
            (context, table, columns, rows) ->
                run(
                    context,
                    c -> {
                      insertBlocking(c, table, columns, rows);
                      return null;
                    }),
            options.requestQueueCapacity());
  }

  ClickHouseOptions options() {
    return options;
  }

  synchronized void open() {
    if (state == State.CLOSED) {
      throw ClickHouseErrors.closed();
    }
    if (state == State.STARTED) {
      return;
    }
    client = newClient(options.endpoint());
    if (options.clustered() && !options.onClusterDdl()) {
      nodeClients = options.clusterNodes().stream().map(this::newClient).toList();
    }
    AtomicInteger threads = new AtomicInteger();
    executor =
        new ThreadPoolExecutor(
            options.maxConcurrentRequests(),
            options.maxConcurrentRequests(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(options.requestQueueCapacity()),
            task -> {
              Thread thread = new Thread(task, "sextant-clickhouse-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    executor.allowCoreThreadTimeOut(true);
    state = State.STARTED;
  }

  private Client newClient(String endpoint) {
    NativeLz4.load();
    Client.Builder builder =
        new Client.Builder()
            .addEndpoint(endpoint)
            .setUsername(options.username())
            .setPassword(options.password())
            .setConnectTimeout(options.connectTimeout().toMillis(), ChronoUnit.MILLIS)
            .setSocketTimeout(options.requestTimeout().toMillis(), ChronoUnit.MILLIS)
            .setExecutionTimeout(options.requestTimeout().toMillis(), ChronoUnit.MILLIS)
            .setMaxConnections(options.maxConcurrentRequests())
            // Failures are ours to classify and the caller's to retry; a hidden retry of an
            // insert could store a batch twice before the caller hears of the first failure.
            .setMaxRetries(0)
            .compressClientRequest(true)
            .compressServerResponse(true)
            .setClientName("sextant");
    if (options.clustered()) {
      // Tables of one signal are sharded by the same key (trace id, series id), so an IN
      // subquery is exact shard by shard: run it on each shard's local table.
      builder.serverSetting("distributed_product_mode", "local");
    }
    return builder.build();
  }

  /**
   * Runs a statement that changes the schema or deletes rows of the local tables everywhere: once
   * (with {@code ON CLUSTER} in its text, or on one node), or on every node in turn.
   */
  void everyNodeBlocking(Client c, String sql, Map<String, Object> parameters) throws Exception {
    for (Client node : ddlTargets(c)) {
      executeBlocking(node, sql, parameters);
    }
  }

  /**
   * Where a schema change goes: {@code c} itself (one node, or {@code ON CLUSTER} in the text), or
   * every node in turn in cluster mode without {@code ON CLUSTER} DDL.
   */
  List<Client> ddlTargets(Client c) {
    List<Client> nodes = nodeClients;
    return nodes.isEmpty() ? List.of(c) : nodes;
  }

  /** DDL at startup, on the caller's thread. */
  void ddl(String sql) {
    runNow(
        "schema change",
        c -> {
          everyNodeBlocking(c, sql, Map.of());
          return null;
        });
  }

  boolean isOpen() {
    return state == State.STARTED;
  }

  /** Runs a blocking operation on the pool; its failure comes through the Uni, coded. */
  <T> Uni<T> run(String context, Operation<T> operation) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              try {
                requireOpen();
                executor.execute(
                    () -> {
                      try {
                        requireOpen();
                        emitter.complete(operation.run(client));
                      } catch (Throwable t) {
                        emitter.fail(ClickHouseErrors.toStorageException(t, context));
                      }
                    });
              } catch (Throwable t) {
                emitter.fail(ClickHouseErrors.toStorageException(t, context));
              }
            });
  }

  /** Runs a blocking operation on the caller's thread (startup, migrations). */
  <T> T runNow(String context, Operation<T> operation) {
    try {
      requireOpen();
      return operation.run(client);
    } catch (Throwable t) {
      throw ClickHouseErrors.toStorageException(t, context);
    }
  }

  private void requireOpen() {
    switch (state) {
      case STARTED -> {}
      case NEW -> throw ClickHouseErrors.notStarted();
      case CLOSED -> throw ClickHouseErrors.closed();
    }
  }

  /** A statement without an answer (DDL, DELETE). */
  void executeBlocking(Client c, String sql, Map<String, Object> parameters) throws Exception {
    executeBlocking(c, sql, parameters, Map.of());
  }

  /** A statement without an answer, with server settings of its own. */
  void executeBlocking(
      Client c, String sql, Map<String, Object> parameters, Map<String, String> serverSettings)
      throws Exception {
    QuerySettings settings = new QuerySettings();
    serverSettings.forEach(settings::serverSetting);
    try (QueryResponse response =
        c.query(sql, QueryParameters.encode(parameters), settings)
            .get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
      response.getInputStream().readAllBytes();
    }
  }

  /** A query answered in RowBinary, read row by row by {@code reader}. */
  <T> T queryBlocking(
      Client c, String sql, Map<String, Object> parameters, Function<RowBinaryInput, T> reader)
      throws Exception {
    QuerySettings settings = new QuerySettings().setFormat(ClickHouseFormat.RowBinary);
    try (QueryResponse response =
        c.query(sql + "\nFORMAT RowBinary", QueryParameters.encode(parameters), settings)
            .get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
      return reader.apply(new RowBinaryInput(response.getInputStream()));
    }
  }

  /**
   * Inserts RowBinary rows; returns once ClickHouse committed them (with async inserts on, once the
   * server's buffer holding them was flushed: {@code wait_for_async_insert=1}).
   */
  void insertBlocking(Client c, String table, List<String> columns, RowBinaryOutput rows)
      throws Exception {
    insertBlocking(c, table, columns, rows.asInputStream());
  }

  /** {@link #insertBlocking(Client, String, List, RowBinaryOutput)} of rows read from a stream. */
  void insertBlocking(Client c, String table, List<String> columns, InputStream rows)
      throws Exception {
    InsertSettings settings = new InsertSettings();
    if (options.asyncInsert()) {
      settings.serverSetting("async_insert", "1");
      settings.serverSetting("wait_for_async_insert", "1");
    } else {
      settings.serverSetting("async_insert", "0");
    }
    if (options.cluster() != null) {
      // Acknowledged means stored on the shard, not queued on the node we talk to.
      settings.serverSetting("distributed_foreground_insert", "1");
    }
    c.insert(table, columns, rows, ClickHouseFormat.RowBinary, settings)
        .get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .close();
  }

  /**
   * A synchronous insert (never through the async buffer) that ClickHouse stores at most once per
   * {@code deduplicationToken} within the table's deduplication window: the compare-and-set of the
   * retention book (ADR 0013).
   */
  void insertOnce(
      Client c, String table, List<String> columns, RowBinaryOutput rows, String deduplicationToken)
      throws Exception {
    InsertSettings settings = new InsertSettings();
    settings.serverSetting("async_insert", "0");
    settings.serverSetting("insert_deduplicate", "1");
    settings.serverSetting("insert_deduplication_token", deduplicationToken);
    if (options.cluster() != null) {
      settings.serverSetting("distributed_foreground_insert", "1");
    }
    c.insert(table, columns, rows.asInputStream(), ClickHouseFormat.RowBinary, settings)
        .get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .close();
  }

  /**
   * Inserts the rows; completes once ClickHouse stored them, possibly in one insert with other
   * writes to the table ({@link InsertBatcher}).
   */
  Uni<Void> insert(String context, String table, List<String> columns, RowBinaryOutput rows) {
    return batcher.insert(context, table, columns, rows);
  }

  <T> Uni<T> query(
      String context,
      String sql,
      Map<String, Object> parameters,
      Function<RowBinaryInput, T> reader) {
    return run(context, c -> queryBlocking(c, sql, parameters, reader));
  }

  /**
   * Retention: counts the rows {@code countSql} finds, then, if any, runs the deletes (on the local
   * tables of every node) in order, then {@code after}; completes with the count.
   */
  Uni<Long> countThenDelete(
      String context,
      String countSql,
      List<String> deletes,
      Map<String, Object> parameters,
      Runnable after) {
    return run(
        context,
        c -> {
          long count = queryBlocking(c, countSql, parameters, RowBinaryInput::int64);
          if (count > 0) {
            for (String delete : deletes) {
              everyNodeBlocking(c, delete, parameters);
            }
            after.run();
          }
          return count;
        });
  }

  /** Whether the server answers a trivial query now; never throws. */
  String ping() {
    try {
      return runNow(
          "health check",
          c -> queryBlocking(c, "SELECT 1", Map.of(), in -> in.uint8() == 1 ? "" : "odd answer"));
    } catch (RuntimeException e) {
      return e.getMessage() == null ? e.toString() : e.getMessage();
    }
  }

  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    if (executor != null) {
      executor.shutdown();
    }
    if (client != null) {
      client.close();
    }
    nodeClients.forEach(Client::close);
  }

  /** Something done with the client on a pool thread. */
  @FunctionalInterface
  interface Operation<T> {
    T run(Client client) throws Exception;
  }
}
