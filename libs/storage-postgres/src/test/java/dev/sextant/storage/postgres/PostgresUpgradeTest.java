package dev.sextant.storage.postgres;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Span;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.SpanBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An upgrade from schema version 2: a span stored running before version 3 is flagged by the
 * migration, so it is listed as running and an ended record still replaces it.
 */
class PostgresUpgradeTest {
  private static final String SCHEMA = "upgrade";

  @Test
  void version2SpansAreFlaggedRunningByVersion3() {
    PostgresStorage old = TestStorages.builder(SCHEMA).build();
    try {
      old.client().open();
      TestStorages.sql(old, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      Migrations.migrate(old.client().vertxPool(), SCHEMA, 2, 60_000);
      TestStorages.sql(
          old,
          "INSERT INTO "
              + SCHEMA
              + ".spans (tenant, trace_id, span_id, start_time, end_time, name, kind,"
              + " status_code, status_message, service_name, scope_name, scope_version,"
              + " attributes, resource, events, links, dropped_attributes) VALUES ('"
              + TENANT
              + "', '\\x"
              + Fixtures.traceId(1)
              + "', '\\x"
              + Fixtures.spanId(1)
              + "', "
              + T0
              + ", "
              + T0
              + ", 'run', 0, 0, '', '', '', '',"
              + " '{\"sextant.span.running\": true}', '{}', '[]', '[]', 0)");
    } finally {
      old.close();
    }

    PostgresStorage storage = TestStorages.open(SCHEMA);
    try {
      RootQuery running = new RootQuery(TENANT, null, null, null, "running", null, null, false, 10);
      List<Span> roots = storage.spans().roots(running).await().atMost(Duration.ofSeconds(60));
      assertThat(roots).extracting(Span::traceId).containsExactly(Fixtures.traceId(1));

      Span ended =
          SpanBuilder.span(Fixtures.traceId(1), Fixtures.spanId(1)).start(T0).duration(3).build();
      storage.spans().write(List.of(ended)).await().atMost(Duration.ofSeconds(60));
      storage.spans().write(List.of(roots.getFirst())).await().atMost(Duration.ofSeconds(60));
      assertThat(
              storage
                  .spans()
                  .trace(TENANT, Fixtures.traceId(1))
                  .await()
                  .atMost(Duration.ofSeconds(60)))
          .containsExactly(ended);
    } finally {
      storage.close();
    }
  }
}
