package dev.sextant.ingest.mastra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.ingest.ExportResult;
import dev.sextant.ingest.IngestConfig;
import dev.sextant.ingest.IngestMetrics;
import dev.sextant.ingest.IngestTenants;
import dev.sextant.ingest.RequestOutcomes;
import dev.sextant.ingest.Transport;
import dev.sextant.ingest.Workers;
import dev.sextant.ingest.admission.IngestAdmission;
import dev.sextant.ingest.admission.Permit;
import dev.sextant.service.auth.Principals;
import dev.sextant.service.errors.Failures;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.regex.Pattern;

/**
 * Mastra's publish API, as its platform exporter ({@code MastraPlatformExporter}) calls it: {@code
 * POST /ai/{spans,logs,metrics,scores,feedback}/publish} and the same under {@code
 * /projects/{projectId}}, JSON bodies {@code {"spans":[…]}} etc., {@code Authorization: Bearer <api
 * key>} (checked by service-common's filter: 401 and 403, on which the exporter backs off). The
 * answer comes after the commit: 200 with what was accepted and refused; 400 for a body that is no
 * such JSON; 413 past the size limit; 429 and 503 with {@code Retry-After} on overload and
 * unavailability (the exporter retries those), never 402: Sextant has no quota, so the {@code
 * x-mastra-observability-capabilities: quota-pause-v1} a client declares never needs using and it
 * is never told to pause.
 */
@ApplicationScoped
public class MastraPublishRoutes {
  static final String CAPABILITIES_HEADER = "x-mastra-observability-capabilities";
  private static final Pattern PROJECT = Pattern.compile("[a-zA-Z0-9_-]+");

  @Inject IngestConfig config;
  @Inject IngestAdmission admission;
  @Inject IngestMetrics metrics;
  @Inject MastraIngestor ingestor;

  void init(@Observes Router router) {
    for (MastraIngestor.Kind kind : MastraIngestor.Kind.values()) {
      String suffix = "/ai/" + kind.key() + "/publish";
      for (String path : new String[] {suffix, "/projects/:projectId" + suffix}) {
        router
            .post(path)
            .handler(BodyHandler.create(false).setBodyLimit(config.maxRequestBytes()))
            .handler(rc -> publish(rc, kind))
            .failureHandler(rc -> failed(rc, kind));
      }
    }
  }

  private void publish(RoutingContext rc, MastraIngestor.Kind kind) {
    String project = rc.pathParam("projectId");
    if (project != null && !PROJECT.matcher(project).matches()) {
      answer(rc, kind, 400, "bad_input", "project id must be [a-zA-Z0-9_-]+", false);
      return;
    }
    String tenant;
    try {
      tenant = IngestTenants.of(Principals.of(rc));
    } catch (RuntimeException e) {
      fail(rc, kind, e);
      return;
    }
    Buffer buffer = rc.body() == null ? null : rc.body().buffer();
    byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
    Permit parsing;
    try {
      parsing = admission.admitBytes(body.length);
    } catch (RuntimeException overloaded) {
      fail(rc, kind, overloaded);
      return;
    }
    rc.addEndHandler(ended -> parsing.release());
    String service = project == null ? "mastra" : project;
    Uni.createFrom()
        .item(() -> records(body, kind))
        .runSubscriptionOn(Workers.POOL)
        .chain(records -> ingestor.publish(tenant, kind, records, service))
        .subscribe()
        .with(result -> succeeded(rc, kind, result), failure -> fail(rc, kind, failure));
  }

  /**
   * The array under the signal's key; an invalid body fails with IllegalArgumentException (400).
   */
  static JsonNode records(byte[] body, MastraIngestor.Kind kind) {
    JsonNode root;
    try {
      root = JsonValues.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("the body cannot be read");
    }
    JsonNode records = root == null ? null : root.get(kind.key());
    if (records == null || !records.isArray()) {
      throw new IllegalArgumentException(
          "the body must be a JSON object with an array \"" + kind.key() + "\"");
    }
    return records;
  }

  private void succeeded(RoutingContext rc, MastraIngestor.Kind kind, ExportResult result) {
    metrics.request(kind.signal(), Transport.MASTRA, result.partial() ? "partial" : "ok");
    JsonObject answer = new JsonObject().put("rejected", result.rejected());
    if (!result.message().isEmpty()) {
      answer.put("message", result.message());
    }
    write(rc, 200, answer);
  }

  private void failed(RoutingContext rc, MastraIngestor.Kind kind) {
    if (rc.statusCode() == 413) {
      answer(
          rc,
          kind,
          413,
          "too_large",
          "request body is larger than " + config.maxRequestBytes() + " bytes",
          false);
    } else {
      fail(
          rc,
          kind,
          rc.failure() == null ? new IllegalStateException("request refused") : rc.failure());
    }
  }

  private void fail(RoutingContext rc, MastraIngestor.Kind kind, Throwable failure) {
    Failures.Kind failureKind = Failures.kindOf(failure);
    String message =
        failureKind == Failures.Kind.INTERNAL ? "internal error" : Failures.messageOf(failure);
    metrics.request(
        kind.signal(), Transport.MASTRA, RequestOutcomes.failed(kind.signal(), failure));
    answer(
        rc,
        kind,
        Failures.httpStatus(failureKind),
        failureKind.name().toLowerCase(java.util.Locale.ROOT),
        message,
        Failures.retryable(failureKind));
  }

  private static void answer(
      RoutingContext rc,
      MastraIngestor.Kind kind,
      int status,
      String type,
      String message,
      boolean retry) {
    if (retry) {
      rc.response().putHeader("Retry-After", Integer.toString(Failures.RETRY_AFTER_SECONDS));
    }
    write(rc, status, new JsonObject().put("error", type).put("message", message));
  }

  private static void write(RoutingContext rc, int status, JsonObject body) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    rc.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encode());
  }
}
