package dev.sextant.query.postgres;

import dev.sextant.query.metrics.MetricQueryApiTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The metric query API over PostgreSQL, whose rollups are built as its chunks are compacted. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresMetricQueryApiTest extends MetricQueryApiTest {}
