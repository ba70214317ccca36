package dev.sextant.storage.sqlite;

import dev.sextant.model.StatusCode;
import dev.sextant.storage.query.RootQuery;
import java.util.List;
import java.util.Map;

/** The SQL that reads candidate roots for a {@link RootQuery}, in the query's order. */
final class RootSql {
  private RootSql() {}

  static String select(RootQuery query, List<Object> parameters) {
    StringBuilder sql =
        new StringBuilder(SqliteSpanStore.SELECT_SPAN)
            .append(" FROM spans s WHERE s.tenant = ? AND s.parent_span_id IS NULL")
            .append(" AND s.start_time >= ? AND s.start_time < ?");
    parameters.add(query.tenant());
    parameters.add(query.range().startUnixNanos());
    parameters.add(query.range().endUnixNanos());
    for (Map.Entry<String, String> wanted : query.attributes().entrySet()) {
      PromotedColumn column = PromotedColumn.of(wanted.getKey());
      if (column != null) {
        sql.append(" AND s.").append(column.column).append(" = ?");
        parameters.add(wanted.getValue());
      }
    }
    if (query.serviceName() != null) {
      sql.append(" AND s.service_name = ?");
      parameters.add(query.serviceName());
    }
    if (query.status() != null) {
      switch (query.status()) {
        case "error" -> sql.append(" AND s.status_code = '").append(StatusCode.ERROR).append("'");
        case "running" ->
            sql.append(" AND s.running = 1 AND s.status_code <> '")
                .append(StatusCode.ERROR)
                .append("'");
        default ->
            sql.append(" AND s.running = 0 AND s.status_code <> '")
                .append(StatusCode.ERROR)
                .append("'");
      }
    }
    String direction = query.oldestFirst() ? "ASC" : "DESC";
    if (query.after() != null) {
      // Keyset paging on (start_time, trace_id, span_id): stored ids compare like their hex text.
      String beyond = query.oldestFirst() ? ">" : "<";
      sql.append(" AND (s.start_time, s.trace_id, s.span_id) ").append(beyond).append(" (?, ?, ?)");
      parameters.add(query.after().startTimeUnixNanos());
      parameters.add(SqliteIds.traceId(query.after().traceId()));
      parameters.add(SqliteIds.spanId(query.after().spanId()));
    }
    return sql.append(" ORDER BY s.start_time ")
        .append(direction)
        .append(", s.trace_id ")
        .append(direction)
        .append(", s.span_id ")
        .append(direction)
        .toString();
  }
}
