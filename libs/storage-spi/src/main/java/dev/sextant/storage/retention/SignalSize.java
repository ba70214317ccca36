package dev.sextant.storage.retention;

/**
 * How much room a signal takes in the store, over every tenant.
 *
 * @param bytes what its rows and indexes occupy (for SQLite: the pages of its tables and indexes)
 * @param freeBytes room its file holds free, given back by {@link RetentionStore#reclaim}
 */
public record SignalSize(long bytes, long freeBytes) {}
