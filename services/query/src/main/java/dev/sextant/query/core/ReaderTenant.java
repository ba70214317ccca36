package dev.sextant.query.core;

import dev.sextant.service.auth.Principal;

/** The one tenant a caller reads: the tenant of its API key, never one named in the request. */
public final class ReaderTenant {
  private ReaderTenant() {}

  public static String of(Principal principal) {
    if (Principal.ANY_TENANT.equals(principal.tenant())) {
      // A service key acts for every tenant, so it names none; reads need exactly one.
      throw QueryException.permissionDenied(
          "a service key (tenant '*') cannot read: use an API key of the tenant to read");
    }
    return principal.tenant();
  }
}
