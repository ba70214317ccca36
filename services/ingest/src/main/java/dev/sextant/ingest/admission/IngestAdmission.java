package dev.sextant.ingest.admission;

import dev.sextant.ingest.IngestConfig;
import dev.sextant.ingest.Signal;
import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.storage.StorageComponent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Admission control (DESIGN §2.3, §2.8): a bound on records in flight over all requests, so memory
 * stays flat under overload, and a token bucket at the store's declared safe rate for the signals
 * ingest writes itself. Over either, a request is refused at once as overloaded (429 /
 * RESOURCE_EXHAUSTED with a retry hint), before any work is done on it.
 */
@ApplicationScoped
public class IngestAdmission {
  private static final Logger LOG = Logger.getLogger(IngestAdmission.class);

  private final AtomicLong inFlight = new AtomicLong();
  private final long maxInFlight;
  private final AtomicLong inFlightBytes = new AtomicLong();
  private final long maxInFlightBytes;
  private final RateLimiter storeRate;

  @Inject
  public IngestAdmission(IngestConfig config, StorageComponent storage, MeterRegistry registry) {
    IngestConfig.Admission admission = config.admission();
    this.maxInFlight = admission.maxInFlightRecords();
    this.maxInFlightBytes = admission.maxInFlightBytes();
    long rate = storage.capabilities().safeIngestRecordsPerSecond();
    if (admission.maxRecordsPerSecond().isPresent()) {
      long configured = admission.maxRecordsPerSecond().getAsLong();
      rate = rate <= 0 ? configured : Math.min(rate, configured);
    }
    this.storeRate =
        rate <= 0 ? null : new RateLimiter(rate, rate * admission.burstSeconds(), System::nanoTime);
    Gauge.builder("sextant.ingest.in.flight.records", inFlight, AtomicLong::get)
        .description("Records admitted and not yet answered")
        .register(registry);
    Gauge.builder("sextant.ingest.in.flight.bytes", inFlightBytes, AtomicLong::get)
        .description("Request bytes admitted for parsing and not yet answered")
        .register(registry);
    LOG.infof(
        "admission: at most %d records and %d request bytes in flight, spans and logs at %s records/s",
        maxInFlight, maxInFlightBytes, rate <= 0 ? "unlimited" : rate);
  }

  /**
   * Admits a received request of {@code bytes} for parsing, or throws an overloaded rejection; the
   * permit is released when the request is answered.
   */
  public Permit admitBytes(long bytes) {
    return acquire(inFlightBytes, maxInFlightBytes, bytes, "request bytes");
  }

  /** Admits {@code records} of the signal, or throws an overloaded rejection. */
  public Permit admit(Signal signal, int records) {
    Permit permit = acquire(inFlight, maxInFlight, records, "records");
    if (signal.writtenByIngest() && storeRate != null && !storeRate.tryAcquire(records)) {
      permit.release();
      throw RejectedRequestException.overloaded(
          "over the store's ingest rate of "
              + (long) storeRate.ratePerSecond()
              + " records/s; retry later");
    }
    return permit;
  }

  private static Permit acquire(AtomicLong counter, long limit, long amount, String unit) {
    while (true) {
      long current = counter.get();
      // A request larger than the whole bound is admitted alone rather than never.
      if (current + amount > limit && current > 0) {
        throw RejectedRequestException.overloaded(
            "ingest is at its limit of " + limit + " " + unit + " in flight; retry later");
      }
      if (counter.compareAndSet(current, current + amount)) {
        return new Permit(counter, amount);
      }
    }
  }

  public long inFlightBytes() {
    return inFlightBytes.get();
  }

  public long inFlight() {
    return inFlight.get();
  }
}
