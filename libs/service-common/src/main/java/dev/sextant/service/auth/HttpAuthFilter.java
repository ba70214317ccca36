package dev.sextant.service.auth;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Authenticates every HTTP request but the management endpoints ({@code /q/*}: health, metrics)
 * before any route runs, and leaves the principal on the routing context for {@link
 * Principals#of(RoutingContext)}.
 */
@ApplicationScoped
public class HttpAuthFilter {
  static final String PRINCIPAL = "sextant.principal";

  @Inject Authenticator authenticator;

  void register(@Observes Filters filters) {
    filters.register(this::handle, 100);
  }

  private void handle(RoutingContext rc) {
    if (rc.normalizedPath().startsWith("/q/")) {
      rc.next();
      return;
    }
    switch (authenticator.authenticate(rc.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      case Authenticator.Allowed allowed -> {
        rc.put(PRINCIPAL, allowed.principal());
        rc.next();
      }
      case Authenticator.Unauthenticated denied -> {
        rc.response().putHeader("WWW-Authenticate", "Bearer");
        reject(rc, 401, "unauthorized", denied.reason());
      }
      case Authenticator.Forbidden denied -> reject(rc, 403, "forbidden", denied.reason());
    }
  }

  private static void reject(RoutingContext rc, int status, String type, String message) {
    rc.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(
            new JsonObject()
                .put("status", "error")
                .put("errorType", type)
                .put("error", message)
                .encode());
  }
}
