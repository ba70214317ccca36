package dev.sextant.ingest.http;

import com.google.protobuf.Message;
import dev.sextant.ingest.Signal;
import io.smallrye.mutiny.Uni;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * One OTLP/HTTP endpoint: its path, the request message it reads, and the ingestor it feeds.
 *
 * @param ingest the ingestor, given the tenant and the decoded request
 * @param partial whether a response carries a partial success
 */
record OtlpRoute<Q extends Message, R extends Message>(
    String path,
    Signal signal,
    Q prototype,
    BiFunction<String, Q, Uni<R>> ingest,
    Predicate<R> partial) {}
