package dev.sextant.storage.sqlite;

/** A series by tenant and id, ordered as chunk rows are once the tenant has its number. */
record SeriesKey(String tenant, long id) {}
