package dev.sextant.storage;

import dev.sextant.model.SpanPayload;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Span inputs and outputs, kept apart from the spans so that trace search never reads them. Keyed
 * like spans by (tenant, trace id, span id); rewriting a payload replaces it, except that an empty
 * payload never replaces a stored one (a span's start record has no output yet).
 */
public interface PayloadStore {

  /** Stores the payloads; completes once they are committed. */
  Uni<Void> write(List<SpanPayload> payloads);

  /** The payloads of one trace's spans, in no particular order; empty when none is stored. */
  Uni<List<SpanPayload>> trace(String tenant, String traceId);

  /**
   * Deletes the payloads of every tenant whose span started before the cutoff, as given by {@code
   * startTimeUnixNanos} at write time; returns how many went.
   */
  Uni<Long> deleteOlderThan(long cutoffUnixNanos);
}
