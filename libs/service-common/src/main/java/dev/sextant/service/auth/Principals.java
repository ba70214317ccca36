package dev.sextant.service.auth;

import io.vertx.ext.web.RoutingContext;

/** Where handlers find the authenticated caller. */
public final class Principals {
  private Principals() {}

  /** The caller of an HTTP request (set by {@link HttpAuthFilter}). */
  public static Principal of(RoutingContext rc) {
    Principal principal = rc.get(HttpAuthFilter.PRINCIPAL);
    if (principal == null) {
      throw new IllegalStateException("no principal: the auth filter did not run for this route");
    }
    return principal;
  }

  /** The caller of the current gRPC call (set by {@link GrpcAuthInterceptor}). */
  public static Principal current() {
    Principal principal = GrpcAuthInterceptor.PRINCIPAL.get();
    if (principal == null) {
      throw new IllegalStateException("no principal: the gRPC auth interceptor did not run");
    }
    return principal;
  }
}
