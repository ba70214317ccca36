package dev.sextant.storage.sqlite;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.spanId;
import static dev.sextant.storage.testkit.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.LogRecord;
import dev.sextant.model.Span;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.testkit.LogBuilder;
import dev.sextant.storage.testkit.SpanBuilder;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resource attribute maps are stored once and deleted with the last record that can use them. */
class ResourcesTest {
  private static final long HOUR = TimeUnit.HOURS.toNanos(1);
  private static final Map<String, Object> AGENT =
      Map.of("service.name", "agent", "host.name", "box-1", "process.pid", 42L);
  private static final Map<String, Object> WORKER = Map.of("service.name", "worker");

  @TempDir Path dataDir;
  private SqliteStorage storage;

  @BeforeEach
  void start() {
    storage = SqliteStorage.builder().dataDir(dataDir).build();
    storage.start();
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(30));
  }

  private static Span span(int trace, long start, Map<String, Object> resource) {
    SpanBuilder span = SpanBuilder.span(traceId(trace), spanId(1)).start(start);
    resource.forEach(span::resource);
    return span.build();
  }

  private long resources(String file) throws SQLException {
    return SqliteFiles.count(dataDir.resolve(file), "SELECT count(*) FROM resources");
  }

  @Test
  void aResourceSharedByManySpansIsStoredOnceAndReadBackOnEach() throws SQLException {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      spans.add(span(i, T0 + i, i % 2 == 0 ? AGENT : WORKER));
    }
    await(storage.spans().write(spans));
    // A later write of the same maps, as new copies, adds nothing.
    await(storage.spans().write(List.of(span(1_000, T0, new LinkedHashMap<>(AGENT)))));

    assertThat(resources("spans.db")).isEqualTo(2);
    assertThat(await(storage.spans().trace(TENANT, traceId(2))).getFirst().resourceAttributes())
        .isEqualTo(AGENT);
    assertThat(await(storage.spans().trace(TENANT, traceId(3))).getFirst().resourceAttributes())
        .isEqualTo(WORKER);
  }

  @Test
  void eachTenantHasItsOwnResourceRows() throws SQLException {
    Span acme = SpanBuilder.span("acme", traceId(1), spanId(1)).resource("k", "v").build();
    Span globex = SpanBuilder.span("globex", traceId(1), spanId(1)).resource("k", "v").build();

    await(storage.spans().write(List.of(acme, globex)));

    assertThat(resources("spans.db")).isEqualTo(2);
    assertThat(await(storage.spans().trace("globex", traceId(1)))).containsExactly(globex);
  }

  @Test
  void retentionDeletesAResourceOnlyOnceNoRetainedRecordCanUseIt() throws SQLException {
    // AGENT is used by an old span only; WORKER by an old one and one after the cutoff.
    await(
        storage
            .spans()
            .write(
                List.of(span(1, T0, AGENT), span(2, T0, WORKER), span(3, T0 + 10 * HOUR, WORKER))));

    await(storage.spans().deleteOlderThan(T0 + 5 * HOUR));

    assertThat(resources("spans.db")).isEqualTo(1);
    assertThat(await(storage.spans().trace(TENANT, traceId(3))).getFirst().resourceAttributes())
        .isEqualTo(WORKER);
  }

  @Test
  void aResourceSeenJustBeforeTheCutoffIsKept() throws SQLException {
    // Within KEEP_BEHIND_CUTOFF of the cutoff: a record written later may still refer to it.
    await(storage.spans().write(List.of(span(1, T0 + 4 * HOUR + HOUR / 2, AGENT))));

    await(storage.spans().deleteOlderThan(T0 + 5 * HOUR));

    assertThat(await(storage.spans().trace(TENANT, traceId(1)))).isEmpty();
    assertThat(resources("spans.db")).isEqualTo(1);
  }

  @Test
  void logsKeepTheirResourcesApartToo() throws SQLException {
    List<LogRecord> records = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      LogBuilder log = LogBuilder.log(T0 + i).body("line " + i);
      AGENT.forEach(log::resource);
      records.add(log.build());
    }
    await(storage.logs().write(records));

    assertThat(resources("logs.db")).isEqualTo(1);
    List<LogRecord> found = await(storage.logs().search(LogQuery.all(TENANT, 100)));
    assertThat(found)
        .hasSize(50)
        .allSatisfy(r -> assertThat(r.resourceAttributes()).isEqualTo(AGENT));

    await(storage.logs().deleteOlderThan(T0 + 10 * HOUR));

    assertThat(resources("logs.db")).isZero();
  }
}
