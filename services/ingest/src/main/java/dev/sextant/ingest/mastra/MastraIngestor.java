package dev.sextant.ingest.mastra;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.ingest.Delivery;
import dev.sextant.ingest.ExportResult;
import dev.sextant.ingest.IngestConfig;
import dev.sextant.ingest.IngestFlow;
import dev.sextant.ingest.Signal;
import dev.sextant.ingest.SpanIngestor;
import dev.sextant.ingest.Transport;
import dev.sextant.ingest.WallClock;
import dev.sextant.ingest.otlp.Normalized;
import dev.sextant.ingest.otlp.Rejections;
import dev.sextant.ingest.otlp.Truncations;
import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.SpanPayload;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.StorageComponent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The five publish signals of Mastra's platform exporter, through the same flow as every export
 * (admission, normalisation on a worker, answer after the commit). Spans take the span path (cost,
 * span-derived metrics) with their payloads committed first; metric events, once committed, are
 * also sent to the aggregator as additive delta points.
 */
@ApplicationScoped
public class MastraIngestor {
  private final IngestFlow flow;
  private final StorageComponent storage;
  private final SpanIngestor spans;
  private final MetricEventSender eventSender;
  private final PublishedSpanMapper spanMapper;

  @Inject
  public MastraIngestor(
      IngestFlow flow,
      StorageComponent storage,
      SpanIngestor spans,
      MetricEventSender eventSender,
      IngestConfig config) {
    this.flow = flow;
    this.storage = storage;
    this.spans = spans;
    this.eventSender = eventSender;
    this.spanMapper = new PublishedSpanMapper(new PayloadLimit(config.mastra().maxPayloadChars()));
  }

  /** The publish API's signals, by the path segment and body key they use. */
  public enum Kind {
    SPANS("spans", Signal.TRACES),
    LOGS("logs", Signal.LOGS),
    METRICS("metrics", Signal.EVENTS),
    SCORES("scores", Signal.EVENTS),
    FEEDBACK("feedback", Signal.EVENTS);

    final String key;
    final Signal signal;

    Kind(String key, Signal signal) {
      this.key = key;
      this.signal = signal;
    }

    public String key() {
      return key;
    }

    public Signal signal() {
      return signal;
    }
  }

  /** Ingests the records of one publish request ({@code body[kind.key]}, a JSON array). */
  public Uni<ExportResult> publish(String tenant, Kind kind, JsonNode records, String service) {
    int received = records.size();
    return switch (kind) {
      case SPANS ->
          flow.run(
              Signal.TRACES,
              Transport.MASTRA,
              received,
              () -> mapSpans(tenant, records, service),
              this::writeSpans);
      case LOGS ->
          flow.run(
              Signal.LOGS,
              Transport.MASTRA,
              received,
              () ->
                  map(
                      records,
                      (r, rejections) ->
                          PublishedEventMapper.log(
                              tenant, r, WallClock.nowUnixNanos(), rejections)),
              logs -> storage.logs().write(logs).replaceWith(Delivery.ALL));
      case METRICS ->
          events(
              records,
              (r, rejections) -> PublishedEventMapper.metric(tenant, r, rejections),
              storage.metricEvents(),
              events -> eventSender.afterCommit(tenant, events));
      case SCORES ->
          events(
              records,
              (r, rejections) -> PublishedEventMapper.score(tenant, r, rejections),
              storage.scores(),
              scores -> {});
      case FEEDBACK ->
          events(
              records,
              (r, rejections) -> PublishedEventMapper.feedback(tenant, r, rejections),
              storage.feedback(),
              feedback -> {});
    };
  }

  private Normalized<PublishedSpanMapper.Mapped> mapSpans(
      String tenant, JsonNode records, String service) {
    return map(records, (r, rejections) -> spanMapper.map(tenant, r, service, rejections));
  }

  /**
   * Payloads first, then the spans (which then take the span path): a span never lacks its payload.
   */
  private Uni<Delivery> writeSpans(List<PublishedSpanMapper.Mapped> mapped) {
    List<SpanPayload> payloads = new ArrayList<>();
    List<dev.sextant.model.Span> spanList = new ArrayList<>(mapped.size());
    for (PublishedSpanMapper.Mapped m : mapped) {
      spanList.add(m.span());
      if (m.payload() != null) {
        payloads.add(m.payload());
      }
    }
    Uni<Void> payloadWrite =
        payloads.isEmpty() ? Uni.createFrom().voidItem() : storage.payloads().write(payloads);
    return payloadWrite.chain(() -> spans.store(spanList));
  }

  /** One kind of event: mapped, written to its store, then {@code afterCommit}. */
  private <E extends CorrelatedEvent> Uni<ExportResult> events(
      JsonNode records, Mapper<E> mapper, EventStore<E> store, Consumer<List<E>> afterCommit) {
    return flow.run(
        Signal.EVENTS,
        Transport.MASTRA,
        records.size(),
        () -> map(records, mapper),
        events ->
            store.write(events).invoke(() -> afterCommit.accept(events)).replaceWith(Delivery.ALL));
  }

  /** Maps each record of the array, collecting the refused ones. */
  private static <R> Normalized<R> map(JsonNode records, Mapper<R> mapper) {
    Rejections rejections = new Rejections();
    List<R> mapped = new ArrayList<>(records.size());
    for (JsonNode record : records) {
      R r = mapper.map(record, rejections);
      if (r != null) {
        mapped.add(r);
      }
    }
    return new Normalized<>(mapped, records.size(), rejections, new Truncations());
  }

  private interface Mapper<R> {
    R map(JsonNode record, Rejections rejections);
  }
}
