package dev.sextant.e2e;

import java.util.Map;

/**
 * The whole of {@link PrometheusApiIT} with the four services on ClickHouse ({@link
 * SuiteOnClickHouse}): the same dataset, queries, known differences and pass rate as on SQLite, so
 * a difference that only ClickHouse shows fails here.
 */
class ClickHousePrometheusApiIT extends PrometheusApiIT {
  @Override
  Map<String, String> environment() {
    return SuiteOnClickHouse.environment("e2e_promql");
  }

  @Override
  String storeName() {
    return "ClickHouse";
  }
}
