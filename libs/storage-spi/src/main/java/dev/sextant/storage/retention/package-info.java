/**
 * The retention surface of the storage SPI ({@link dev.sextant.storage.retention.RetentionStore}):
 * policies, run history and leases kept in the store, and per-signal operations on one tenant's
 * rows. See ADR 0011.
 */
package dev.sextant.storage.retention;
