package dev.sextant.query.core;

import dev.sextant.service.auth.Principal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Times and counts every read by API, endpoint and outcome ({@code
 * sextant_query_requests_seconds{api,endpoint,outcome}}), including requests refused during
 * validation, and logs internal failures (their details never reach the client).
 */
@ApplicationScoped
public class RequestMeter {
  private static final Logger LOG = Logger.getLogger(RequestMeter.class);

  /** The API a request came through. */
  public enum Api {
    REST,
    GRPC,
    /** The Prometheus HTTP API ({@code /api/v1/query} and friends). */
    PROMETHEUS
  }

  private final MeterRegistry registry;

  @Inject
  public RequestMeter(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Runs one read for the caller's tenant (see {@link ReaderTenant}), measured like {@link
   * #measure}. {@code read} receives the tenant and may throw while validating its request.
   */
  public <T> Uni<T> read(
      Api api, String endpoint, Principal caller, Function<String, Uni<T>> read) {
    return measure(api, endpoint, () -> read.apply(ReaderTenant.of(caller)));
  }

  /**
   * Runs {@code call} (which may throw while validating) and records how it ended. {@code endpoint}
   * is a fixed name such as {@code search_traces}, never request data.
   */
  public <T> Uni<T> measure(Api api, String endpoint, Supplier<Uni<T>> call) {
    return Uni.createFrom()
        .deferred(
            () -> {
              long start = System.nanoTime();
              return Uni.createFrom()
                  .<T>deferred(call::get)
                  .onItemOrFailure()
                  .invoke((item, failure) -> record(api, endpoint, failure, start));
            });
  }

  private void record(Api api, String endpoint, Throwable failure, long startNanos) {
    Outcome outcome = failure == null ? Outcome.OK : Outcome.of(failure);
    if (outcome == Outcome.INTERNAL) {
      LOG.errorf(failure, "%s %s failed", api, endpoint);
    }
    Timer.builder("sextant.query.requests")
        .description("Reads answered by the query service, by API, endpoint and outcome")
        .tag("api", api.name().toLowerCase(java.util.Locale.ROOT))
        .tag("endpoint", endpoint)
        .tag("outcome", outcome.tag())
        .register(registry)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }
}
