package dev.sextant.ingest;

import dev.sextant.service.auth.Principal;
import dev.sextant.service.errors.RejectedRequestException;

/** The tenant a request writes to: always the caller's, never one named in the payload. */
public final class IngestTenants {
  private IngestTenants() {}

  public static String of(Principal principal) {
    if (Principal.ANY_TENANT.equals(principal.tenant())) {
      // A service key acts for every tenant, so it names none to write telemetry to.
      throw RejectedRequestException.badInput(
          "a service key (tenant '*') cannot send telemetry; use a key of the tenant");
    }
    return principal.tenant();
  }
}
