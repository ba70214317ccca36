package dev.sextant.service.auth;

import dev.sextant.model.Tenants;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who is calling: the tenant an API key belongs to and the scopes it grants. A key whose tenant is
 * {@link #ANY_TENANT} is a service key (ingest talking to the aggregator), allowed to act for every
 * tenant.
 */
public record Principal(String tenant, Set<Scope> scopes) {
  public static final String ANY_TENANT = "*";

  /** The caller of a local run with authentication off. */
  public static final Principal LOCAL = new Principal(Tenants.DEFAULT, EnumSet.allOf(Scope.class));

  public Principal {
    scopes = Set.copyOf(scopes);
  }

  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }

  /** Whether this caller may write or read data of {@code otherTenant}. */
  public boolean mayActFor(String otherTenant) {
    return ANY_TENANT.equals(tenant) || tenant.equals(otherTenant);
  }
}
