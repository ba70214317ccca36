package dev.sextant.model;

import java.util.regex.Pattern;

/** Tenant names. Every stored row carries one; a query only ever sees its own tenant's rows. */
public final class Tenants {
  /** The tenant of a local single-user run, where authentication is off. */
  public static final String DEFAULT = "default";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private Tenants() {}

  /** Returns the tenant if it is a valid name, else throws {@link IllegalArgumentException}. */
  public static String require(String tenant) {
    if (tenant == null || !VALID.matcher(tenant).matches()) {
      throw new IllegalArgumentException(
          "invalid tenant name (1-64 of A-Z a-z 0-9 _ . -, starting alphanumeric): " + tenant);
    }
    return tenant;
  }
}
