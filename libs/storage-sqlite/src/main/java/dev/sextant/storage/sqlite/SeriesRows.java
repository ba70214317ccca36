package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.Temporality;
import dev.sextant.storage.json.AttributeJson;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The {@code series} table, as the writer keeps it and readers use it. */
final class SeriesRows {
  static final String COLUMNS = "name, labels, type, temporality, unit, description";

  private static final String SELECT_ROW =
      "SELECT type, temporality, unit, description, first_time, last_time, last_bound"
          + " FROM series WHERE tenant = ? AND series_id = ?";
  private static final String UPSERT =
      "INSERT INTO series (tenant, series_id, name, labels, type, temporality, unit,"
          + " description, first_time, last_time, last_bound) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
          + " ON CONFLICT (tenant, series_id) DO UPDATE SET type = excluded.type,"
          + " temporality = excluded.temporality, unit = excluded.unit,"
          + " description = excluded.description,"
          + " first_time = min(first_time, excluded.first_time),"
          + " last_time = max(last_time, excluded.last_time),"
          + " last_bound = max(last_bound, excluded.last_bound)";
  private static final String UPDATE_TIMES =
      "UPDATE series SET first_time = min(first_time, ?), last_time = max(last_time, ?),"
          + " last_bound = max(last_bound, ?) WHERE tenant = ? AND series_id = ?";

  private SeriesRows() {}

  /** Reads the series row into the state: whether it exists, its times, its metadata. */
  static void load(StatementCache statements, SeriesState state) throws SQLException {
    PreparedStatement select = statements.prepare(SELECT_ROW);
    select.setString(1, state.key.tenant());
    select.setLong(2, state.key.id());
    try (ResultSet rows = select.executeQuery()) {
      state.rowLoaded = true;
      state.rowExists = rows.next();
      if (!state.rowExists) {
        state.definitionStored = false;
        return;
      }
      MetricSeries d = state.definition;
      state.definitionStored =
          d == null
              || (d.type().name().equals(rows.getString(1))
                  && d.temporality().name().equals(rows.getString(2))
                  && d.unit().equals(rows.getString(3))
                  && d.description().equals(rows.getString(4)));
      state.firstTime = rows.getLong(5);
      state.lastTime = rows.getLong(6);
      state.lastBound = rows.getLong(7);
    }
  }

  /** Writes the whole row from the definition, widening the stored times. */
  static void upsert(
      StatementCache statements,
      SeriesKey key,
      MetricSeries series,
      long first,
      long last,
      long bound)
      throws SQLException {
    PreparedStatement upsert = statements.prepare(UPSERT);
    upsert.setString(1, key.tenant());
    upsert.setLong(2, key.id());
    upsert.setString(3, series.name());
    upsert.setString(4, AttributeJson.STANDARD.labels(series.labels()));
    upsert.setString(5, series.type().name());
    upsert.setString(6, series.temporality().name());
    upsert.setString(7, series.unit());
    upsert.setString(8, series.description());
    upsert.setLong(9, first);
    upsert.setLong(10, last);
    upsert.setLong(11, bound);
    upsert.executeUpdate();
  }

  /** Widens the stored times of an existing row. */
  static void widen(StatementCache statements, SeriesKey key, long first, long last, long bound)
      throws SQLException {
    PreparedStatement update = statements.prepare(UPDATE_TIMES);
    update.setLong(1, first);
    update.setLong(2, last);
    update.setLong(3, bound);
    update.setString(4, key.tenant());
    update.setLong(5, key.id());
    update.executeUpdate();
  }

  /** A series from a row's {@link #COLUMNS}, starting at {@code column}. */
  static MetricSeries read(String tenant, ResultSet row, int column) throws SQLException {
    return new MetricSeries(
        tenant,
        row.getString(column),
        AttributeJson.STANDARD.readLabels(row.getString(column + 1)),
        MetricType.valueOf(row.getString(column + 2)),
        Temporality.valueOf(row.getString(column + 3)),
        row.getString(column + 4),
        row.getString(column + 5));
  }
}
