package dev.sextant.ingest.grpc;

import dev.sextant.ingest.IngestMetrics;
import dev.sextant.ingest.IngestTenants;
import dev.sextant.ingest.RequestOutcomes;
import dev.sextant.ingest.Signal;
import dev.sextant.ingest.Transport;
import dev.sextant.service.auth.Principals;
import dev.sextant.service.errors.Failures;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * What the three OTLP gRPC services share: the caller's tenant (read on the calling thread, where
 * the gRPC context lives), the request count, and failures turned into gRPC statuses with {@code
 * RetryInfo} for the retryable ones.
 */
@ApplicationScoped
public class GrpcExports {
  @Inject IngestMetrics metrics;

  <Q, R> Uni<R> export(
      Signal signal, Q request, BiFunction<String, Q, Uni<R>> ingest, Predicate<R> partial) {
    Uni<R> answer;
    try {
      answer = ingest.apply(IngestTenants.of(Principals.current()), request);
    } catch (RuntimeException e) {
      answer = Uni.createFrom().failure(e);
    }
    return answer
        .invoke(
            response ->
                metrics.request(signal, Transport.GRPC, partial.test(response) ? "partial" : "ok"))
        .onFailure()
        .transform(
            failure -> {
              metrics.request(signal, Transport.GRPC, RequestOutcomes.failed(signal, failure));
              return Failures.grpc(failure);
            });
  }
}
