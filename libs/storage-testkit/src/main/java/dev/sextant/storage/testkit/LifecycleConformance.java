package dev.sextant.storage.testkit;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.spanId;
import static dev.sextant.storage.testkit.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Span;
import dev.sextant.storage.CheckResult;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import io.smallrye.mutiny.Uni;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Start, health, restart and close. Whether data survives a restart is what {@link
 * dev.sextant.storage.Capabilities#persistent()} declares: both answers are checked, neither is
 * skipped.
 */
public abstract class LifecycleConformance extends StorageConformance {

  private static final Span SPAN =
      SpanBuilder.span(traceId(1), spanId(1)).name("persisted").start(T0).build();
  private static final LogRecord LOG = LogBuilder.log(T0).body("persisted").build();
  private static final MetricSeries SERIES =
      Fixtures.series("persisted_total", MetricType.COUNTER, "job", "api");
  private static final NumberPoint POINT = new NumberPoint(T0, T0 + 1, 42);

  private void writeOneOfEach(StorageComponent storage) {
    await(storage.spans().write(List.of(SPAN)));
    await(storage.logs().write(List.of(LOG)));
    await(storage.metrics().write(List.of(new MetricWrite(SERIES, POINT))));
  }

  @Test
  void aStartedStorageIsHealthy() {
    assertThat(storage().check()).isEqualTo(CheckResult.OK);
  }

  @Test
  void capabilitiesDescribeTheBackend() {
    assertThat(storage().capabilities().kind()).isNotBlank();
    assertThat(storage().capabilities().safeIngestRecordsPerSecond()).isPositive();
  }

  @Test
  void startIsIdempotent() {
    writeOneOfEach(storage());

    storage().start();

    assertThat(storage().check().ok()).isTrue();
    assertThat(await(storage().spans().trace(TENANT, traceId(1)))).containsExactly(SPAN);
  }

  @Test
  void committedDataSurvivesARestartExactlyWhenTheBackendIsPersistent() {
    writeOneOfEach(storage());
    boolean persistent = storage().capabilities().persistent();

    StorageComponent reopened = closeAndReopen();

    List<Span> spans = await(reopened.spans().trace(TENANT, traceId(1)));
    List<LogRecord> logs = await(reopened.logs().search(LogQuery.all(TENANT, 10)));
    List<MetricSeries> series =
        await(reopened.metrics().series(new SeriesQuery(TENANT, List.of(), TimeRange.ALL)));
    var points = await(reopened.metrics().points(TENANT, SERIES.id(), TimeRange.ALL));
    if (persistent) {
      assertThat(spans).containsExactly(SPAN);
      assertThat(logs).containsExactly(LOG);
      assertThat(series).containsExactly(SERIES);
      assertThat(points).containsExactly(POINT);
    } else {
      assertThat(spans).isEmpty();
      assertThat(logs).isEmpty();
      assertThat(series).isEmpty();
      assertThat(points).isEmpty();
    }
  }

  @Test
  void aReopenedStorageTakesWrites() {
    closeAndReopen();

    writeOneOfEach(storage());

    assertThat(await(storage().spans().trace(TENANT, traceId(1)))).containsExactly(SPAN);
    assertThat(storage().check().ok()).isTrue();
  }

  @Test
  void writesAfterCloseFailAsUnavailable() {
    storage().close();

    assertUnavailable(storage().spans().write(List.of(SPAN)));
    assertUnavailable(storage().logs().write(List.of(LOG)));
    assertUnavailable(storage().metrics().write(List.of(new MetricWrite(SERIES, POINT))));
    assertUnavailable(storage().spans().deleteOlderThan(T0));
    assertUnavailable(storage().logs().deleteOlderThan(T0));
    assertUnavailable(storage().metrics().deleteOlderThan(T0));
  }

  @Test
  void readsAfterCloseFailAsUnavailable() {
    storage().close();

    assertUnavailable(storage().spans().trace(TENANT, traceId(1)));
    assertUnavailable(storage().spans().search(TraceQuery.all(TENANT, 10)));
    assertUnavailable(storage().logs().search(LogQuery.all(TENANT, 10)));
    assertUnavailable(storage().metrics().metricNames(TENANT, TimeRange.ALL));
    assertUnavailable(
        storage().metrics().series(new SeriesQuery(TENANT, List.of(), TimeRange.ALL)));
    assertUnavailable(storage().metrics().points(TENANT, SERIES.id(), TimeRange.ALL));
  }

  @Test
  void aClosedStorageReportsUnhealthyWithoutThrowing() {
    storage().close();

    CheckResult result = storage().check();

    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).isNotBlank();
  }

  @Test
  void closeIsIdempotent() {
    storage().close();
    storage().close();

    assertUnavailable(storage().spans().write(List.of(SPAN)));
  }

  private static void assertUnavailable(Uni<?> uni) {
    StorageException failure = failureOf(uni);
    assertThat(failure.code()).isEqualTo(StorageException.Code.UNAVAILABLE);
    assertThat(failure.retryable()).isTrue();
  }
}
