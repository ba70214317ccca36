package dev.sextant.ingest.remotewrite;

import dev.sextant.ingest.ExportResult;
import dev.sextant.ingest.IngestConfig;
import dev.sextant.ingest.IngestMetrics;
import dev.sextant.ingest.IngestTenants;
import dev.sextant.ingest.RemoteWriteIngestor;
import dev.sextant.ingest.RequestOutcomes;
import dev.sextant.ingest.Signal;
import dev.sextant.ingest.Transport;
import dev.sextant.ingest.Workers;
import dev.sextant.ingest.admission.IngestAdmission;
import dev.sextant.ingest.admission.Permit;
import dev.sextant.service.auth.Principals;
import dev.sextant.service.errors.Failures;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;

/**
 * Prometheus remote write 1.0 on the OTLP/HTTP port: {@code POST /api/v1/write}, a snappy
 * block-compressed {@code prometheus.WriteRequest}. Answers as the specification asks: 204 once
 * every sample is committed (after the aggregator's ack); 400 for a body that does not decode, and
 * also when some samples were refused (the others are stored; the message names the reasons, as
 * Prometheus answers rejected samples); 413 for a body over the size limit; 415 for another
 * encoding or remote write 2.0; 429 and 503 with Retry-After when overloaded or unavailable, which
 * senders retry. Error bodies are plain text, as Prometheus writes them.
 */
@ApplicationScoped
public class RemoteWriteRoute {
  static final String PATH = "/api/v1/write";

  @Inject IngestConfig config;
  @Inject IngestAdmission admission;
  @Inject IngestMetrics metrics;
  @Inject RemoteWriteIngestor ingestor;

  void init(@Observes Router router) {
    // The headers are checked before any of the body is read (a second route has the body).
    router.post(PATH).handler(this::checkHeaders);
    router
        .post(PATH)
        .handler(BodyHandler.create(false).setBodyLimit(config.maxRequestBytes()))
        .handler(this::write)
        .failureHandler(this::failed);
  }

  private void checkHeaders(RoutingContext rc) {
    String encoding = rc.request().getHeader(HttpHeaders.CONTENT_ENCODING);
    if (encoding != null && !encoding.strip().equalsIgnoreCase("snappy")) {
      reject(
          rc,
          415,
          "unsupported_media_type",
          "unsupported content encoding '"
              + encoding
              + "': remote write bodies are snappy-compressed (Content-Encoding: snappy)");
      return;
    }
    String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
    String problem = contentTypeProblem(type);
    if (problem != null) {
      reject(rc, 415, "unsupported_media_type", problem);
      return;
    }
    rc.next();
  }

  /** Null for remote write 1.0's type (or none given), else what is wrong with it. */
  static String contentTypeProblem(String contentType) {
    if (contentType == null) {
      return null;
    }
    String lower = contentType.toLowerCase(Locale.ROOT);
    int semicolon = lower.indexOf(';');
    String media = (semicolon < 0 ? lower : lower.substring(0, semicolon)).strip();
    if (!media.equals("application/x-protobuf")) {
      return "unsupported content type '" + contentType + "': use application/x-protobuf";
    }
    if (semicolon >= 0
        && lower.contains("proto=")
        && !lower.contains("proto=prometheus.writerequest")) {
      return "unsupported content type '"
          + contentType
          + "': only remote write 1.0 (prometheus.WriteRequest) is supported";
    }
    return null;
  }

  private void write(RoutingContext rc) {
    String tenant;
    Permit parsing;
    byte[] body = bytes(rc.body());
    try {
      tenant = IngestTenants.of(Principals.of(rc));
      parsing = admission.admitBytes(body.length);
    } catch (RuntimeException refused) {
      fail(rc, refused);
      return;
    }
    rc.addEndHandler(ended -> parsing.release());
    int maxBytes = config.maxRequestBytes();
    Uni.createFrom()
        .item(() -> SnappyBody.decode(body, maxBytes))
        .runSubscriptionOn(Workers.POOL)
        .chain(request -> ingestor.write(tenant, request))
        .subscribe()
        .with(result -> answer(rc, result), failure -> fail(rc, failure));
  }

  private void answer(RoutingContext rc, ExportResult result) {
    if (result.rejected() > 0) {
      // Prometheus answers refused samples with 400, which its senders do not retry: the
      // accepted samples are stored, and retrying the refused ones would fail again.
      reject(rc, 400, "partial", result.message());
      return;
    }
    metrics.request(Signal.METRICS, Transport.REMOTE_WRITE, "ok");
    HttpServerResponse response = rc.response();
    if (!response.ended() && !response.closed()) {
      response.setStatusCode(204).end();
    }
  }

  /** Failures before the handler ran: the body limit (413), or a bug. */
  private void failed(RoutingContext rc) {
    if (rc.statusCode() == 413) {
      reject(rc, 413, "too_large", new SnappyBody.TooLarge(config.maxRequestBytes()).getMessage());
    } else if (rc.failure() != null) {
      fail(rc, rc.failure());
    } else {
      reject(rc, rc.statusCode(), "bad_input", "request refused");
    }
  }

  private void fail(RoutingContext rc, Throwable failure) {
    if (failure instanceof SnappyBody.TooLarge tooLarge) {
      reject(rc, 413, "too_large", tooLarge.getMessage());
      return;
    }
    Failures.Kind kind = Failures.kindOf(failure);
    if (Failures.retryable(kind) && !rc.response().ended()) {
      rc.response().putHeader("Retry-After", Integer.toString(Failures.RETRY_AFTER_SECONDS));
    }
    String message =
        kind == Failures.Kind.INTERNAL ? "internal error" : Failures.messageOf(failure);
    reject(rc, Failures.httpStatus(kind), RequestOutcomes.failed(Signal.METRICS, failure), message);
  }

  private void reject(RoutingContext rc, int status, String outcome, String message) {
    metrics.request(Signal.METRICS, Transport.REMOTE_WRITE, outcome);
    HttpServerResponse response = rc.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end(message + "\n");
  }

  private static byte[] bytes(RequestBody body) {
    Buffer buffer = body == null ? null : body.buffer();
    return buffer == null ? new byte[0] : buffer.getBytes();
  }
}
