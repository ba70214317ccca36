package dev.sextant.service.auth;

/** What an API key may do. */
public enum Scope {
  /** Send telemetry to ingest (and, for service keys, to the aggregator). */
  INGEST,
  /** Read through the query service. */
  QUERY,
  /** Administer retention and the other admin APIs. */
  ADMIN
}
