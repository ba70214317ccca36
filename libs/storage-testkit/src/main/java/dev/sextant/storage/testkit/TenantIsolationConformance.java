package dev.sextant.storage.testkit;

import static dev.sextant.storage.testkit.Fixtures.OTHER_TENANT;
import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static dev.sextant.storage.testkit.Fixtures.spanId;
import static dev.sextant.storage.testkit.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Span;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No read ever returns another tenant's rows (DESIGN §2.6). Both tenants write the same ids, names
 * and labels with different content, so a store that forgets the tenant anywhere mixes them up
 * visibly.
 */
public abstract class TenantIsolationConformance extends StorageConformance {

  private static final String LONELY_TENANT = "initech";

  private static Span span(String tenant, String service) {
    return SpanBuilder.span(tenant, traceId(1), spanId(1))
        .name("op")
        .service(service)
        .start(T0 + seconds(1))
        .attribute("owner", tenant)
        .resource("env", "prod")
        .build();
  }

  private static LogRecord log(String tenant) {
    return LogBuilder.log(tenant, T0 + seconds(1))
        .service("api")
        .body("hello from " + tenant)
        .trace(traceId(1), spanId(1))
        .attribute("env", "prod")
        .build();
  }

  private static MetricSeries series(String tenant) {
    return Fixtures.series(tenant, "requests_total", MetricType.COUNTER, "job", "api");
  }

  private static MetricWrite point(String tenant, double value) {
    return new MetricWrite(series(tenant), new NumberPoint(T0, T0 + seconds(1), value));
  }

  @BeforeEach
  void writeBothTenants() {
    await(
        storage()
            .spans()
            .write(List.of(span(TENANT, "acme-api"), span(OTHER_TENANT, "globex-api"))));
    await(storage().logs().write(List.of(log(TENANT), log(OTHER_TENANT))));
    await(storage().metrics().write(List.of(point(TENANT, 1), point(OTHER_TENANT, 2))));
    await(storage().metrics().flush());
  }

  @Test
  void sameSpanKeyInTwoTenantsIsTwoSpans() {
    assertThat(await(storage().spans().trace(TENANT, traceId(1))))
        .containsExactly(span(TENANT, "acme-api"));
    assertThat(await(storage().spans().trace(OTHER_TENANT, traceId(1))))
        .containsExactly(span(OTHER_TENANT, "globex-api"));
    assertThat(await(storage().spans().trace(LONELY_TENANT, traceId(1)))).isEmpty();
  }

  @Test
  void traceSearchSeesOnlyItsTenant() {
    assertThat(await(storage().spans().search(TraceQuery.all(TENANT, 10))))
        .extracting(TraceSummary::rootServiceName)
        .containsExactly("acme-api");
    assertThat(await(storage().spans().search(TraceQuery.all(LONELY_TENANT, 10)))).isEmpty();

    TraceQuery otherTenantsService =
        new TraceQuery(TENANT, TimeRange.ALL, "globex-api", null, null, null, null, Map.of(), 10);
    assertThat(await(storage().spans().search(otherTenantsService))).isEmpty();
    TraceQuery byAttribute =
        new TraceQuery(
            TENANT, TimeRange.ALL, null, null, null, null, null, Map.of("env", "prod"), 10);
    assertThat(await(storage().spans().search(byAttribute)))
        .extracting(TraceSummary::rootServiceName)
        .containsExactly("acme-api");
  }

  @Test
  void logSearchSeesOnlyItsTenant() {
    assertThat(await(storage().logs().search(LogQuery.all(TENANT, 10))))
        .containsExactly(log(TENANT));
    LogQuery everyCriterion =
        new LogQuery(
            OTHER_TENANT, TimeRange.ALL, 1, traceId(1), "api", Map.of("env", "prod"), "hello", 10);
    assertThat(await(storage().logs().search(everyCriterion))).containsExactly(log(OTHER_TENANT));
    assertThat(await(storage().logs().search(LogQuery.all(LONELY_TENANT, 10)))).isEmpty();
  }

  @Test
  void metricReadsSeeOnlyTheirTenant() {
    assertThat(await(storage().metrics().metricNames(TENANT, TimeRange.ALL)))
        .containsExactly("requests_total");
    assertThat(await(storage().metrics().metricNames(LONELY_TENANT, TimeRange.ALL))).isEmpty();

    SeriesQuery byName =
        new SeriesQuery(
            OTHER_TENANT, List.of(LabelMatcher.equal("__name__", "requests_total")), TimeRange.ALL);
    assertThat(await(storage().metrics().series(byName))).containsExactly(series(OTHER_TENANT));
    assertThat(await(storage().metrics().series(new SeriesQuery(LONELY_TENANT, List.of(), null))))
        .isEmpty();

    assertThat(await(storage().metrics().points(TENANT, series(TENANT).id(), TimeRange.ALL)))
        .containsExactly(new NumberPoint(T0, T0 + seconds(1), 1));
    assertThat(await(storage().metrics().points(TENANT, series(OTHER_TENANT).id(), TimeRange.ALL)))
        .as("another tenant's series id")
        .isEmpty();
  }
}
