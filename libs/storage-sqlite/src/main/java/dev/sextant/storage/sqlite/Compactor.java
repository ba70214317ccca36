package dev.sextant.storage.sqlite;

/** Merges older blocks into larger ones and builds their rollups. */
final class Compactor {
  private final MetricWriter writer;

  Compactor(MetricWriter writer) {
    this.writer = writer;
  }

  void maybeStart() {}

  void stop() {}
}
