package dev.sextant.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Passes every export to the real OTLP exporter and keeps what the SDK handed over, so a test
 * compares what Sextant returns with exactly what was sent.
 */
final class RecordingMetricExporter implements MetricExporter {
  private final MetricExporter delegate;
  private final List<MetricData> exported = new ArrayList<>();
  private int exports;
  private int failures;
  private String lastFailure = "none";

  RecordingMetricExporter(MetricExporter delegate) {
    this.delegate = delegate;
  }

  /** Every metric of every successful export, in order. */
  synchronized List<MetricData> exported(String name) {
    return exported.stream().filter(m -> m.getName().equals(name)).toList();
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    CompletableResultCode result = delegate.export(metrics);
    result.whenComplete(
        () -> {
          synchronized (this) {
            exports++;
            if (result.isSuccess()) {
              exported.addAll(metrics);
            } else {
              failures++;
              lastFailure = String.valueOf(result.getFailureThrowable());
            }
          }
        });
    return result;
  }

  /**
   * Flushes the meter provider and asserts that its export was acknowledged ({@code context}: what
   * to show when not). The SDK's periodic reader (1.57) reports a flush as done even when the
   * export failed, and marks itself free only after completing the flush, so a flush right after
   * another may be refused ("Exporter busy") without collecting anything: a refusal is retried; the
   * export's own outcome is asserted.
   */
  void flushAcknowledged(SdkMeterProvider meters, String what, Supplier<String> context)
      throws InterruptedException {
    int exportsBefore = exports();
    for (int attempt = 1; !meters.forceFlush().join(30, TimeUnit.SECONDS).isSuccess(); attempt++) {
      assertThat(attempt).as(what + ": the metric reader stayed busy").isLessThan(50);
      Thread.sleep(20);
    }
    assertThat(failures())
        .as(what + " acknowledged: " + lastFailure() + "\n" + context.get())
        .isZero();
    assertThat(exports()).as(what + " exported once").isEqualTo(exportsBefore + 1);
  }

  /** Exports completed, acknowledged or not. */
  synchronized int exports() {
    return exports;
  }

  /** Exports that failed; the SDK's metric reader reports its flush as done even then. */
  synchronized int failures() {
    return failures;
  }

  /** Why the last failed export failed, as the OTLP exporter said. */
  synchronized String lastFailure() {
    return lastFailure;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType type) {
    return delegate.getAggregationTemporality(type);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType type) {
    return delegate.getDefaultAggregation(type);
  }
}
