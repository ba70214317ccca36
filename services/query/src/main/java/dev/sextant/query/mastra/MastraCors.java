package dev.sextant.query.mastra;

import dev.sextant.query.QueryConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/**
 * CORS for Mastra Studio, which calls the API from its own origin with credentials and its {@code
 * x-mastra-*} headers: the allowed origin is echoed (never {@code *}, which browsers refuse with
 * credentials), and a preflight is answered before authentication, since browsers send it without
 * the Authorization header.
 */
@ApplicationScoped
public class MastraCors {
  static final String ALLOWED_HEADERS =
      "content-type, authorization, x-mastra-client-type, x-mastra-dev-playground,"
          + " x-mastra-observability-capabilities";

  @Inject QueryConfig config;

  void register(@Observes Filters filters) {
    // Above the authentication filter (priority 100): higher runs first.
    filters.register(this::handle, 200);
  }

  private void handle(RoutingContext rc) {
    String origin = rc.request().getHeader("Origin");
    if (origin == null || !allowed(origin, config.corsOrigins())) {
      rc.next();
      return;
    }
    rc.response()
        .putHeader("Access-Control-Allow-Origin", origin)
        .putHeader("Access-Control-Allow-Credentials", "true")
        .putHeader("Vary", "Origin");
    if (rc.request().method() == HttpMethod.OPTIONS
        && rc.request().getHeader("Access-Control-Request-Method") != null) {
      rc.response()
          .putHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
          .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
          .putHeader("Access-Control-Max-Age", "600")
          .setStatusCode(204)
          .end();
      return;
    }
    rc.next();
  }

  static boolean allowed(String origin, List<String> patterns) {
    for (String pattern : patterns) {
      String p = pattern.strip();
      if (p.equals("*") || p.equals(origin)) {
        return true;
      }
      if (p.endsWith(":*")) {
        String prefix = p.substring(0, p.length() - 1);
        if (origin.startsWith(prefix) && origin.substring(prefix.length()).matches("\\d{1,5}")) {
          return true;
        }
      }
    }
    return false;
  }
}
