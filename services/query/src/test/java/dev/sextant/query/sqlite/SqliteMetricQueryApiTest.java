package dev.sextant.query.sqlite;

import dev.sextant.query.metrics.MetricQueryApiTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The metric query API over SQLite, whose rollups are built as its blocks are compacted and read
 * back from their own tables (ADR 0008), not computed on read as in memory.
 */
@QuarkusTest
@TestProfile(SqliteProfile.class)
class SqliteMetricQueryApiTest extends MetricQueryApiTest {}
