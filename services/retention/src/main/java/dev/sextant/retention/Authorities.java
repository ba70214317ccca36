package dev.sextant.retention;

import dev.sextant.service.auth.Principal;
import dev.sextant.service.auth.Principals;
import io.vertx.ext.web.RoutingContext;

/** The {@link Authority} of the caller of a REST or gRPC request. */
final class Authorities {
  private final boolean authEnabled;

  Authorities(boolean authEnabled) {
    this.authEnabled = authEnabled;
  }

  Authority of(Principal principal) {
    return new Authority(principal, authEnabled);
  }

  Authority of(RoutingContext rc) {
    return of(Principals.of(rc));
  }

  /** The caller of the current gRPC call. */
  Authority grpc() {
    return of(Principals.current());
  }
}
