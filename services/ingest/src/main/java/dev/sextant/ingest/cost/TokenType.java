package dev.sextant.ingest.cost;

/** The token types the price table prices. */
enum TokenType {
  INPUT,
  CACHE_READ,
  CACHE_WRITE,
  OUTPUT
}
