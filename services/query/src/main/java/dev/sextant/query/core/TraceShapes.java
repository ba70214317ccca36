package dev.sextant.query.core;

import dev.sextant.model.Span;
import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.tracespec.MatchResult;
import dev.sextant.tracespec.RecordOptions;
import dev.sextant.tracespec.SpecFormat;
import dev.sextant.tracespec.SpecParser;
import dev.sextant.tracespec.TraceDiff;
import dev.sextant.tracespec.TraceMatcher;
import dev.sextant.tracespec.TraceRecorder;
import dev.sextant.tracespec.TraceSpec;
import dev.sextant.tracespec.TraceSpecException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Supplier;

/**
 * TraceSpec over stored traces, for one tenant: check a trace against a spec, record a trace into a
 * spec, diff two traces. A spec that cannot be read, or whose check runs out of its budget, is the
 * caller's to fix: bad input, with the reason.
 */
@ApplicationScoped
public class TraceShapes {
  private final QueryFacade facade;

  @Inject
  public TraceShapes(QueryFacade facade) {
    this.facade = facade;
  }

  /** Reads a spec sent by a client; a malformed one is bad input naming the place. */
  public static TraceSpec parse(String body, SpecFormat format) {
    return refusingBadSpecs(() -> SpecParser.parse(body, format));
  }

  public Uni<MatchResult> check(String tenant, String traceId, TraceSpec spec) {
    return spans(tenant, traceId)
        .map(spans -> refusingBadSpecs(() -> TraceMatcher.check(spec, spans)));
  }

  public Uni<TraceSpec> record(String tenant, String traceId, RecordOptions options) {
    return spans(tenant, traceId).map(spans -> TraceRecorder.record(spans, options));
  }

  public Uni<TraceDiff> diff(String tenant, String a, String b) {
    return spans(tenant, a)
        .chain(spansA -> spans(tenant, b).map(spansB -> TraceDiff.of(spansA, spansB)));
  }

  /**
   * The trace's spans, delivered on a worker thread: a check may take a few hundred milliseconds
   * within its budget, which belongs neither on the event loop nor on a store's own threads.
   */
  private Uni<List<Span>> spans(String tenant, String traceId) {
    return facade.spans(tenant, traceId).emitOn(Infrastructure.getDefaultWorkerPool());
  }

  private static <T> T refusingBadSpecs(Supplier<T> work) {
    try {
      return work.get();
    } catch (TraceSpecException e) {
      String prefix =
          switch (e.reason()) {
            case INVALID_SPEC -> "invalid spec: ";
            case TOO_EXPENSIVE -> "spec too expensive: ";
          };
      throw RejectedRequestException.badInput(prefix + e.getMessage());
    }
  }
}
