package dev.sextant.query.postgres;

import dev.sextant.query.sqlite.SqliteBackedReadTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The reads of {@link SqliteBackedReadTest} over PostgreSQL: trace trees, search, logs, series with
 * unsigned ids and their points through SQL, JSONB and signed 64-bit columns.
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresBackedReadTest extends SqliteBackedReadTest {}
