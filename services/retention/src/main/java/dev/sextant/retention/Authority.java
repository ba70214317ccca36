package dev.sextant.retention;

import dev.sextant.service.auth.Principal;
import dev.sextant.storage.retention.RetentionPolicy;

/**
 * What an admin caller may see and change: its own tenant's policies, runs and data; the policies
 * of every tenant it may read (they apply to it) but change them only with a service key (tenant
 * {@code *}) or with authentication off (a local single-user run).
 */
record Authority(Principal principal, boolean authEnabled) {

  /** Whether the caller acts for every tenant. */
  boolean allTenants() {
    return !authEnabled || Principal.ANY_TENANT.equals(principal.tenant());
  }

  boolean seesTenant(String tenant) {
    return allTenants() || principal.tenant().equals(tenant);
  }

  boolean mayRead(RetentionPolicy policy) {
    return policy.appliesToAllTenants() || seesTenant(policy.tenant());
  }

  /** Fails unless the caller may create, change or delete a policy of this tenant. */
  void requireChange(String tenant) {
    if (RetentionPolicy.ALL_TENANTS.equals(tenant) ? !allTenants() : !seesTenant(tenant)) {
      throw ApiProblem.forbidden(
          RetentionPolicy.ALL_TENANTS.equals(tenant)
              ? "policies of every tenant ('*') need a service key (tenant '*')"
              : "this API key may not manage retention of tenant '" + tenant + "'");
    }
  }

  /** Whether the caller may run the policy: the same as changing it. */
  boolean mayRun(RetentionPolicy policy) {
    return policy.appliesToAllTenants() ? allTenants() : seesTenant(policy.tenant());
  }

  void requireRun(RetentionPolicy policy) {
    requireChange(policy.tenant());
  }
}
