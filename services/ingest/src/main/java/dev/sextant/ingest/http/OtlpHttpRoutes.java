package dev.sextant.ingest.http;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import dev.sextant.ingest.IngestConfig;
import dev.sextant.ingest.IngestMetrics;
import dev.sextant.ingest.IngestTenants;
import dev.sextant.ingest.LogIngestor;
import dev.sextant.ingest.MetricIngestor;
import dev.sextant.ingest.RequestOutcomes;
import dev.sextant.ingest.Signal;
import dev.sextant.ingest.SpanIngestor;
import dev.sextant.ingest.Transport;
import dev.sextant.ingest.Workers;
import dev.sextant.ingest.admission.IngestAdmission;
import dev.sextant.ingest.admission.Permit;
import dev.sextant.service.auth.Principals;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;

/**
 * OTLP over HTTP: {@code POST /v1/traces}, {@code /v1/logs}, {@code /v1/metrics}, with bodies in
 * {@code application/x-protobuf} or {@code application/json}, {@code Content-Encoding: gzip} or
 * identity. The content type and encoding are checked before the body is read (415); the body is
 * bounded as sent and as decompressed (413); decoding and normalising run on worker threads.
 */
@ApplicationScoped
public class OtlpHttpRoutes {
  private static final String ENCODING_KEY = "sextant.otlp.gzip";
  private static final String TYPE_KEY = "sextant.otlp.type";

  @Inject IngestConfig config;
  @Inject IngestAdmission admission;
  @Inject IngestMetrics metrics;
  @Inject SpanIngestor spans;
  @Inject LogIngestor logs;
  @Inject MetricIngestor metricIngestor;

  void init(@Observes Router router) {
    register(
        router,
        new OtlpRoute<>(
            "/v1/traces",
            Signal.TRACES,
            ExportTraceServiceRequest.getDefaultInstance(),
            (tenant, request) -> spans.export(tenant, request, Transport.HTTP),
            ExportTraceServiceResponse::hasPartialSuccess));
    register(
        router,
        new OtlpRoute<>(
            "/v1/logs",
            Signal.LOGS,
            ExportLogsServiceRequest.getDefaultInstance(),
            (tenant, request) -> logs.export(tenant, request, Transport.HTTP),
            ExportLogsServiceResponse::hasPartialSuccess));
    register(
        router,
        new OtlpRoute<>(
            "/v1/metrics",
            Signal.METRICS,
            ExportMetricsServiceRequest.getDefaultInstance(),
            (tenant, request) -> metricIngestor.export(tenant, request, Transport.HTTP),
            ExportMetricsServiceResponse::hasPartialSuccess));
  }

  private <Q extends Message, R extends Message> void register(
      Router router, OtlpRoute<Q, R> route) {
    // Two routes, as Vert.x wants a body handler first on its route: the headers are checked on
    // the first, before any of the body is read.
    router.post(route.path()).handler(rc -> checkHeaders(rc, route));
    router
        .post(route.path())
        .handler(BodyHandler.create(false).setBodyLimit(config.maxRequestBytes()))
        .handler(rc -> export(rc, route))
        .failureHandler(rc -> failed(rc, route));
  }

  /** 415 before the body is read, for a content type or encoding ingest does not read. */
  private void checkHeaders(RoutingContext rc, OtlpRoute<?, ?> route) {
    String contentType = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
    OtlpContentType type = OtlpContentType.of(contentType);
    if (type == null) {
      // The client's encoding is unknown: the status goes out as JSON, the readable one.
      reject(
          rc,
          route,
          OtlpContentType.JSON,
          HttpRejection.unsupported(
              "unsupported content type '"
                  + contentType
                  + "': use application/x-protobuf or application/json"));
      return;
    }
    String encoding = rc.request().getHeader(HttpHeaders.CONTENT_ENCODING);
    String normalized = encoding == null ? "identity" : encoding.strip().toLowerCase(Locale.ROOT);
    if (!normalized.equals("identity") && !normalized.equals("gzip")) {
      reject(
          rc,
          route,
          type,
          HttpRejection.unsupported(
              "unsupported content encoding '" + encoding + "': use gzip or identity"));
      return;
    }
    rc.put(TYPE_KEY, type);
    rc.put(ENCODING_KEY, normalized.equals("gzip"));
    rc.next();
  }

  private <Q extends Message, R extends Message> void export(
      RoutingContext rc, OtlpRoute<Q, R> route) {
    OtlpContentType type = rc.get(TYPE_KEY);
    boolean gzip = rc.get(ENCODING_KEY);
    String tenant;
    try {
      tenant = IngestTenants.of(Principals.of(rc));
    } catch (RuntimeException e) {
      reject(rc, route, type, e);
      return;
    }
    byte[] body = bytes(rc.body());
    Permit parsing;
    try {
      parsing = admission.admitBytes(body.length);
    } catch (RuntimeException overloaded) {
      reject(rc, route, type, overloaded);
      return;
    }
    rc.addEndHandler(ended -> parsing.release());
    int maxBytes = config.maxRequestBytes();
    Uni.createFrom()
        .item(() -> BodyDecoder.decode(route.prototype(), type, gzip, body, maxBytes))
        .runSubscriptionOn(Workers.POOL)
        .chain(request -> route.ingest().apply(tenant, request))
        .subscribe()
        .with(
            response -> {
              metrics.request(
                  route.signal(),
                  Transport.HTTP,
                  route.partial().test(response) ? "partial" : "ok");
              HttpAnswers.success(rc, type, response);
            },
            failure -> reject(rc, route, type, failure));
  }

  /** Failures before the handler ran: the body limit (413), or a bug in a handler. */
  private void failed(RoutingContext rc, OtlpRoute<?, ?> route) {
    OtlpContentType type = rc.get(TYPE_KEY);
    OtlpContentType answerType = type == null ? OtlpContentType.JSON : type;
    if (rc.statusCode() == 413) {
      reject(rc, route, answerType, HttpRejection.tooLarge(config.maxRequestBytes()));
    } else if (rc.failure() != null) {
      reject(rc, route, answerType, rc.failure());
    } else {
      metrics.request(route.signal(), Transport.HTTP, "bad_input");
      HttpAnswers.error(rc, answerType, rc.statusCode(), Code.INVALID_ARGUMENT, "request refused");
    }
  }

  private void reject(
      RoutingContext rc, OtlpRoute<?, ?> route, OtlpContentType type, Throwable failure) {
    metrics.request(
        route.signal(),
        Transport.HTTP,
        failure instanceof HttpRejection r
            ? r.outcome()
            : RequestOutcomes.failed(route.signal(), failure));
    HttpAnswers.failure(rc, type, failure);
  }

  private static byte[] bytes(RequestBody body) {
    Buffer buffer = body == null ? null : body.buffer();
    return buffer == null ? new byte[0] : buffer.getBytes();
  }
}
