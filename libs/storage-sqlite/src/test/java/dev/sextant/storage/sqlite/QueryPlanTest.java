package dev.sextant.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.StatusCode;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot queries go through the intended index, whatever the planner would guess: a trace by id
 * must stay fast (well under 50 ms) with millions of spans stored, which only an index seek does.
 */
class QueryPlanTest {
  @TempDir Path dataDir;

  private String plan(Signal signal, String sql, List<Object> parameters) throws SQLException {
    try (SqliteStorage storage = SqliteStorage.builder().dataDir(dataDir).build()) {
      storage.start();
    }
    try (Connection connection = SqliteFiles.open(dataDir.resolve(signal.fileName()));
        PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        explain.setObject(i + 1, parameters.get(i));
      }
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows = explain.executeQuery()) {
        while (rows.next()) {
          plan.append(rows.getString(4)).append('\n');
        }
      }
      return plan.toString();
    }
  }

  private String plan(Signal signal, String sql) throws SQLException {
    int parameters = (int) sql.chars().filter(c -> c == '?').count();
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < parameters; i++) {
      values.add(1L);
    }
    return plan(signal, sql, values);
  }

  @Test
  void traceByIdSeeksTheTraceIndex() throws SQLException {
    assertThat(plan(Signal.SPANS, SqliteSpanStore.TRACE))
        .contains("USING INDEX spans_by_trace (tenant=? AND trace_id=?)");
    assertThat(plan(Signal.SPANS, SqliteSpanStore.TRACE_SUMMARY))
        .contains("USING INDEX spans_by_trace (tenant=? AND trace_id=?)");
  }

  @Test
  void traceSearchWalksTheStartIndexNewestFirstWithoutSorting() throws SQLException {
    List<Object> parameters = new ArrayList<>();
    TraceQuery byStatus =
        new TraceQuery(
            "acme", new TimeRange(0, 10), null, null, StatusCode.ERROR, null, null, Map.of(), 20);
    String plan =
        plan(Signal.SPANS, SqliteSpanStore.matchingSpans(byStatus, parameters), parameters);

    assertThat(plan).contains("spans_by_start (tenant=? AND start_time>? AND start_time<?)");
    assertThat(plan).doesNotContain("TEMP B-TREE");
  }

  @Test
  void traceSearchByServiceWalksTheServiceIndex() throws SQLException {
    List<Object> parameters = new ArrayList<>();
    TraceQuery byService =
        new TraceQuery("acme", null, "checkout", null, null, null, null, Map.of("k", "v"), 20);
    String plan =
        plan(Signal.SPANS, SqliteSpanStore.matchingSpans(byService, parameters), parameters);

    assertThat(plan)
        .contains(
            "spans_by_service (tenant=? AND service_name=? AND start_time>? AND start_time<?)");
    assertThat(plan).doesNotContain("TEMP B-TREE");
  }

  @Test
  void logSearchUsesTheTraceThenTheServiceThenTheTimeIndex() throws SQLException {
    List<Object> parameters = new ArrayList<>();
    LogQuery byTrace =
        new LogQuery(
            "acme", null, null, "0af7651916cd43dd8448eb211c80319c", "api", Map.of(), null, 10);
    assertThat(plan(Signal.LOGS, SqliteLogStore.searchSql(byTrace, parameters), parameters))
        .contains("logs_by_trace (tenant=? AND trace_id=?)")
        // Each record's resource is one primary-key seek.
        .contains("SEARCH r USING PRIMARY KEY (tenant=? AND id=?)");

    parameters.clear();
    LogQuery byService = new LogQuery("acme", null, 9, null, "api", Map.of(), "x", 10);
    assertThat(plan(Signal.LOGS, SqliteLogStore.searchSql(byService, parameters), parameters))
        .contains("logs_by_service (tenant=? AND service_name=? AND time>? AND time<?)");

    parameters.clear();
    assertThat(
            plan(
                Signal.LOGS,
                SqliteLogStore.searchSql(LogQuery.all("acme", 10), parameters),
                parameters))
        .contains("logs_by_time (tenant=? AND time>? AND time<?)")
        .doesNotContain("TEMP B-TREE");
  }

  @Test
  void metricReadsSeekOnePagePerBlock() throws SQLException {
    for (PageTable table : PageTable.values()) {
      assertThat(plan(Signal.METRICS, table.findPagesSql()))
          .as(table.table())
          .contains("SEARCH c USING PRIMARY KEY (block=? AND tenant_ref=? AND first_series<?)")
          .doesNotContain("TEMP B-TREE FOR ORDER BY\nSEARCH c");
    }
  }

  @Test
  void aSelectorsPagesAreOneSeekPerSeriesAndBlockWithoutSortingThePages() throws SQLException {
    for (PageTable table : PageTable.values()) {
      assertThat(
              plan(
                  Signal.METRICS,
                  table.findPagesOfManySql(),
                  List.of(1, "[1,2,3]", 1L, 1L, 0, 3, 1L)))
          .as(table.table())
          .contains("SEARCH c USING PRIMARY KEY (block=? AND tenant_ref=? AND first_series<?)")
          .doesNotContain("TEMP B-TREE");
    }
  }
}
