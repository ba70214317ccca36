package dev.sextant.storage.postgres;

import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.Temporality;
import dev.sextant.storage.json.NulEscape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Series definitions in {@code metric_definitions} (schema version 6): the writer upserts a series'
 * definition in the statement that logs its points, the first time this process logs the series or
 * when its metadata changed; a flush makes series rows from them. So a log record names its series
 * by id and tenant only.
 */
final class SeriesDefinitions {
  /**
   * Upserts $1..$8 (arrays: tenant, id, name, labels JSON, type, temporality, unit, description).
   */
  static final String UPSERT =
      "INSERT INTO metric_definitions AS d (tenant, series_id, name, labels, type, temporality,"
          + " unit, description) SELECT tenant, series_id, name, labels::jsonb, type, temporality,"
          + " unit, description FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[],"
          + " $5::int2[], $6::int2[], $7::text[], $8::text[]) AS u(tenant, series_id, name, labels,"
          + " type, temporality, unit, description) ON CONFLICT (tenant, series_id) DO UPDATE"
          + " SET type = excluded.type, temporality = excluded.temporality, unit = excluded.unit,"
          + " description = excluded.description WHERE (d.type, d.temporality, d.unit,"
          + " d.description) IS DISTINCT FROM (excluded.type, excluded.temporality, excluded.unit,"
          + " excluded.description)";

  /** Logs a record ($9..$11) and upserts its new definitions ($1..$8): both commit, or neither. */
  static final String LOG_WITH_DEFINITIONS =
      "WITH d AS ("
          + UPSERT
          + ") INSERT INTO metric_wal (tenants, points, payload) VALUES ($9, $10, $11)";

  /** Past this many, the process forgets what it logged (it only upserts again). */
  private static final int MAX_KNOWN = 1_000_000;

  private record Key(String tenant, long id) {}

  private record Metadata(MetricType type, Temporality temporality, String unit, String text) {
    static Metadata of(MetricSeries s) {
      return new Metadata(s.type(), s.temporality(), s.unit(), s.description());
    }
  }

  /** What this process upserted: series by key, with the metadata it upserted. */
  private final Map<Key, Metadata> known = new ConcurrentHashMap<>();

  /** The series among {@code series} whose definition this process has not upserted as it is. */
  List<WalRecord.Defined> unknown(List<WalRecord.Defined> series) {
    List<WalRecord.Defined> unknown = new ArrayList<>();
    for (WalRecord.Defined defined : series) {
      Metadata metadata = known.get(new Key(defined.series().tenant(), defined.id()));
      if (metadata == null || !metadata.equals(Metadata.of(defined.series()))) {
        unknown.add(defined);
      }
    }
    return unknown;
  }

  /** The definitions are stored (their statement committed). */
  void stored(Collection<WalRecord.Defined> series) {
    if (known.size() + series.size() > MAX_KNOWN) {
      known.clear();
    }
    for (WalRecord.Defined defined : series) {
      known.put(new Key(defined.series().tenant(), defined.id()), Metadata.of(defined.series()));
    }
  }

  /** The eight arrays of {@link #UPSERT}. */
  static Object[] parameters(List<WalRecord.Defined> series) {
    int n = series.size();
    String[] tenants = new String[n];
    Long[] ids = new Long[n];
    String[] names = new String[n];
    String[] labels = new String[n];
    Short[] types = new Short[n];
    Short[] temporalities = new Short[n];
    String[] units = new String[n];
    String[] descriptions = new String[n];
    for (int i = 0; i < n; i++) {
      MetricSeries s = series.get(i).series();
      tenants[i] = NulEscape.escape(s.tenant());
      ids[i] = series.get(i).id();
      names[i] = NulEscape.escape(s.name());
      labels[i] = PgJson.JSON.labels(s.labels());
      types[i] = (short) s.type().ordinal();
      temporalities[i] = (short) s.temporality().ordinal();
      units[i] = NulEscape.escape(s.unit());
      descriptions[i] = NulEscape.escape(s.description());
    }
    return new Object[] {tenants, ids, names, labels, types, temporalities, units, descriptions};
  }
}
