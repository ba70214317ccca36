package dev.sextant.storage;

import dev.sextant.model.Span;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** Spans: written in batches, read as whole traces or found by search. */
public interface SpanStore {

  /**
   * Stores the spans; completes once they are committed. Rewriting a span replaces it, except that
   * a running span (attribute {@code sextant.span.running} true: written at its start) never
   * replaces a stored span that has ended, so the end record wins in whichever order both arrive.
   */
  Uni<Void> write(List<Span> spans);

  /**
   * The spans of one trace, ordered by start time, then span id (as text); empty when the trace is
   * unknown.
   */
  Uni<List<Span>> trace(String tenant, String traceId);

  /**
   * Traces having at least one span that matches every criterion of the query, newest first (by the
   * trace's first span start).
   */
  Uni<List<TraceSummary>> search(TraceQuery query);

  /** Root spans for lists of traces (see {@link RootQuery}). */
  Uni<List<Span>> roots(RootQuery query);

  /** Deletes spans of every tenant that started before the cutoff; returns how many went. */
  Uni<Long> deleteOlderThan(long cutoffUnixNanos);
}
