package dev.sextant.query.prom.api;

import dev.sextant.query.QueryConfig;
import dev.sextant.query.core.Outcome;
import dev.sextant.query.core.ReaderTenant;
import dev.sextant.query.core.RequestMeter;
import dev.sextant.service.auth.Principals;
import dev.sextant.service.errors.Failures;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The Prometheus HTTP API on the query service's port, as Vert.x routes: every read endpoint
 * Grafana's Prometheus data source and promtool use, GET and (where Prometheus has it) POST with a
 * form body. Answers and errors are Prometheus's JSON; the tenant is always the caller's (the auth
 * filter ran before any route). The work runs on the {@link QueryExecutor}: on its threads, or for
 * a small instant or range query, on the event loop within a budget of a few milliseconds.
 */
@ApplicationScoped
public class PromApiRoutes {
  private static final String JSON = "application/json";

  @Inject PromApi api;
  @Inject PromStatus status;
  @Inject RequestMeter meter;
  @Inject QueryConfig config;

  void init(@Observes Router router) {
    BodyHandler forms =
        BodyHandler.create(false)
            .setBodyLimit(config.promql().maxFormBytes())
            .setMergeFormAttributes(false);
    readWithForm(router, forms, "/api/v1/query", "prom_query", api::query);
    readWithForm(router, forms, "/api/v1/query_range", "prom_query_range", api::queryRange);
    readWithForm(router, forms, "/api/v1/series", "prom_series", api::series);
    readWithForm(router, forms, "/api/v1/labels", "prom_labels", api::labelNames);
    router
        .get("/api/v1/label/:name/values")
        .handler(
            rc ->
                serve(
                    rc,
                    "prom_label_values",
                    (tenant, p) -> api.labelValues(tenant, rc.pathParam("name"), p)));
    router.get("/api/v1/metadata").handler(rc -> serve(rc, "prom_metadata", api::metadata));
    // What clients ask on connect; Sextant has no exemplars, rules or alerts to list.
    readWithForm(
        router, forms, "/api/v1/query_exemplars", "prom_exemplars", (t, p) -> constant("[]"));
    router
        .get("/api/v1/rules")
        .handler(rc -> serve(rc, "prom_rules", (t, p) -> constant("{\"groups\":[]}")));
    router
        .get("/api/v1/alerts")
        .handler(rc -> serve(rc, "prom_alerts", (t, p) -> constant("{\"alerts\":[]}")));
    router.get("/api/v1/status/buildinfo").handler(rc -> fixed(rc, status.buildInfo()));
    router.get("/api/v1/status/runtimeinfo").handler(rc -> fixed(rc, status.runtimeInfo()));
    router.get("/api/v1/status/flags").handler(rc -> fixed(rc, status.flags()));
    router.get("/api/v1/status/config").handler(rc -> fixed(rc, status.config()));
  }

  private void readWithForm(
      Router router,
      BodyHandler forms,
      String path,
      String endpoint,
      BiFunction<String, PromParams, Uni<String>> read) {
    router.get(path).handler(rc -> serve(rc, endpoint, read));
    router.post(path).handler(forms).handler(rc -> serve(rc, endpoint, read));
  }

  private static Uni<String> constant(String dataJson) {
    return Uni.createFrom().item(PromJson.raw(dataJson));
  }

  private void fixed(RoutingContext rc, String dataJson) {
    serve(rc, "prom_status", (tenant, p) -> constant(dataJson));
  }

  private void serve(
      RoutingContext rc, String endpoint, BiFunction<String, PromParams, Uni<String>> read) {
    Uni<String> answer =
        meter.measure(
            RequestMeter.Api.PROMETHEUS,
            endpoint,
            () -> read.apply(ReaderTenant.of(Principals.of(rc)), params(rc)));
    // The answer is written on the request's event loop, not on the query thread that finished it:
    // a response ended from another thread takes the connection's lock while it hands the write and
    // the completion to the event loop, which then waits for that lock.
    Context context = Vertx.currentContext();
    if (context != null) {
      answer =
          answer.emitOn(
              task -> {
                if (Vertx.currentContext() == context) {
                  task.run();
                } else {
                  context.runOnContext(ignored -> task.run());
                }
              });
    }
    // A client that goes away cancels its query (the engine sees an interrupted thread). The
    // handler goes on first: a quick answer may be written before subscribe() returns.
    AtomicReference<Cancellable> running = new AtomicReference<>();
    rc.response()
        .closeHandler(
            closed -> {
              Cancellable c = running.get();
              if (c != null) {
                c.cancel();
              }
            });
    running.set(
        answer.subscribe().with(body -> respond(rc, 200, body), failure -> fail(rc, failure)));
  }

  private static PromParams params(RoutingContext rc) {
    MultiMap form =
        rc.request().method() == HttpMethod.POST
            ? rc.request().formAttributes()
            : MultiMap.caseInsensitiveMultiMap();
    MultiMap query;
    try {
      query = rc.queryParams();
    } catch (RuntimeException e) {
      throw PromParams.invalid("query string", "malformed: " + Failures.messageOf(e));
    }
    return new PromParams(form, query);
  }

  private static void fail(RoutingContext rc, Throwable failure) {
    Outcome outcome = Outcome.of(failure);
    String message = outcome.clientMessage(failure);
    HttpServerResponse response = rc.response();
    if (outcome.retryable() && !response.ended()) {
      response.putHeader("Retry-After", Integer.toString(Failures.RETRY_AFTER_SECONDS));
    }
    Function<String, String> error = type -> PromJson.error(type, message);
    switch (outcome) {
      case BAD_INPUT -> respond(rc, 400, error.apply("bad_data"));
      case EXECUTION -> respond(rc, 422, error.apply("execution"));
      case TIMEOUT -> respond(rc, 503, error.apply("timeout"));
      case CANCELED -> respond(rc, 499, error.apply("canceled"));
      case NOT_FOUND -> respond(rc, 404, error.apply("not_found"));
      case PERMISSION_DENIED -> respond(rc, 403, error.apply("forbidden"));
      case OVERLOADED -> respond(rc, 429, error.apply("unavailable"));
      case UNAVAILABLE -> respond(rc, 503, error.apply("unavailable"));
      case INTERNAL, OK -> respond(rc, 500, error.apply("internal"));
    }
  }

  private static void respond(RoutingContext rc, int status, String body) {
    HttpServerResponse response = rc.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
  }
}
