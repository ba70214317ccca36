package dev.sextant.storage.sqlite;

import java.util.List;

/**
 * One database file per signal, so the writers of spans, logs and metrics never contend (DESIGN
 * §2.8). Each lists its migrations: numbered SQL resources under {@code
 * dev/sextant/storage/sqlite/<name>/}, applied in order and tracked by {@code PRAGMA user_version}.
 * Add a migration by adding its file here and in resources; never edit an applied one.
 */
enum Signal {
  SPANS("spans", List.of("V1__create.sql")),
  LOGS("logs", List.of("V1__create.sql")),
  METRICS("metrics", List.of("V1__create.sql", "V2__raw_floors.sql")),
  /** Metric events, scores and feedback of agent frameworks (ADR 0010). */
  EVENTS("events", List.of("V1__create.sql")),
  /** Retention's policies, runs and leases (ADR 0011). */
  RETENTION("retention", List.of("V1__create.sql"));

  private final String fileStem;
  private final List<String> migrations;

  Signal(String fileStem, List<String> migrations) {
    this.fileStem = fileStem;
    this.migrations = migrations;
  }

  /** The database file name, e.g. {@code spans.db}. */
  String fileName() {
    return fileStem + ".db";
  }

  /** The resource directory of the migrations, relative to the class path root. */
  String migrationDirectory() {
    return "dev/sextant/storage/sqlite/" + fileStem;
  }

  /** The migration file names; the one at index {@code i} brings the schema to version i+1. */
  List<String> migrations() {
    return migrations;
  }

  int latestVersion() {
    return migrations.size();
  }

  /** Lower case, for messages and thread names. */
  String label() {
    return fileStem;
  }
}
