package dev.sextant.ingest.otlp;

import java.util.List;

/**
 * The outcome of normalising one request: the valid records, in the model, and what was refused or
 * cut on the way.
 *
 * @param received records in the request, valid or not
 */
public record Normalized<R>(
    List<R> records, int received, Rejections rejections, Truncations truncations) {
  public Normalized {
    records = List.copyOf(records);
  }
}
