package dev.sextant.e2e;

import java.util.Map;

/**
 * The whole of {@link PrometheusApiIT} with the four services on PostgreSQL ({@link
 * SuiteOnPostgres}): the same dataset, queries, known differences and pass rate as on SQLite, so a
 * difference that only PostgreSQL shows fails here.
 */
class PostgresPrometheusApiIT extends PrometheusApiIT {
  @Override
  Map<String, String> environment() {
    return SuiteOnPostgres.environment("e2e_promql");
  }

  @Override
  String storeName() {
    return "PostgreSQL";
  }
}
