package dev.sextant.ingest;

import dev.sextant.ingest.admission.IngestAdmission;
import dev.sextant.ingest.admission.Permit;
import dev.sextant.ingest.otlp.Normalized;
import dev.sextant.ingest.otlp.Rejections;
import dev.sextant.ingest.otlp.Truncations;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The path every export takes, whatever the signal and transport: admission, normalisation (on a
 * worker thread: a 4 MiB request is too much work for an event loop), delivery, and the answer. The
 * answer comes only once the delivery completed, i.e. after the commit (DESIGN §2.2).
 */
@ApplicationScoped
public class IngestFlow {
  /** The rejection reason counted for records the downstream refused after accepting the batch. */
  static final String DOWNSTREAM_REJECTED = "aggregator";

  @Inject IngestAdmission admission;
  @Inject IngestMetrics metrics;

  /**
   * Runs one export.
   *
   * @param received records in the request, counted before any work is done
   * @param normalize checks and converts the records (runs on a worker thread)
   * @param deliver stores the valid records; completes after the commit
   */
  public <R> Uni<ExportResult> run(
      Signal signal,
      Transport transport,
      int received,
      Supplier<Normalized<R>> normalize,
      Function<List<R>, Uni<Delivery>> deliver) {
    metrics.received(signal, transport, received);
    Permit permit;
    try {
      permit = admission.admit(signal, received);
    } catch (RuntimeException refused) {
      metrics.rejected(signal, transport, RequestOutcomes.of(refused), received);
      return Uni.createFrom().failure(refused);
    }
    // The request is let go once normalised, and the records once handed to delivery: both are
    // big, and an export waits for the commit, so holding them would keep every request in flight
    // alive until its answer (old-generation garbage at high rates).
    AtomicReference<Supplier<Normalized<R>>> once = new AtomicReference<>(normalize);
    return Uni.createFrom()
        .item(() -> once.getAndSet(null).get())
        .runSubscriptionOn(Workers.POOL)
        .onFailure()
        .invoke(f -> metrics.rejected(signal, transport, RequestOutcomes.of(f), received))
        .chain(normalized -> deliver(signal, transport, normalized, deliver))
        .eventually(permit::release);
  }

  private <R> Uni<ExportResult> deliver(
      Signal signal,
      Transport transport,
      Normalized<R> normalized,
      Function<List<R>, Uni<Delivery>> deliver) {
    metrics.normalized(signal, transport, normalized);
    int valid = normalized.records().size();
    Uni<Delivery> delivery;
    if (valid == 0) {
      delivery = Uni.createFrom().item(Delivery.ALL);
    } else {
      try {
        delivery = deliver.apply(normalized.records());
      } catch (RuntimeException e) {
        delivery = Uni.createFrom().failure(e);
      }
    }
    Rejections rejections = normalized.rejections();
    Truncations truncations = normalized.truncations();
    return delivery
        .onFailure()
        .invoke(f -> metrics.rejected(signal, transport, RequestOutcomes.of(f), valid))
        .map(
            delivered -> {
              metrics.accepted(signal, transport, valid - delivered.rejected());
              metrics.rejected(signal, transport, DOWNSTREAM_REJECTED, delivered.rejected());
              return result(signal, rejections, truncations, delivered);
            });
  }

  private static ExportResult result(
      Signal signal, Rejections rejections, Truncations truncations, Delivery delivered) {
    StringJoiner message = new StringJoiner("; ");
    message.setEmptyValue("");
    for (String part :
        List.of(
            rejections.describe(signal.recordNoun()),
            delivered.message(),
            truncations.describe())) {
      if (!part.isEmpty()) {
        message.add(part);
      }
    }
    return new ExportResult(rejections.total() + delivered.rejected(), message.toString());
  }
}
