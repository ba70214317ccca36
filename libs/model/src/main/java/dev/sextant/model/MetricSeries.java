package dev.sextant.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * A metric series: its identity (tenant, metric name, sorted labels; DESIGN §2.4) and the metadata
 * that travels with it (type, temporality, unit, description), which is not part of the identity.
 */
public record MetricSeries(
    String tenant,
    String name,
    Labels labels,
    MetricType type,
    Temporality temporality,
    String unit,
    String description) {

  public MetricSeries {
    unit = unit == null ? "" : unit;
    description = description == null ? "" : description;
    labels = labels == null ? Labels.empty() : labels;
  }

  /** The stable id of this series: the same identity gives the same id in every process. */
  public long id() {
    return idOf(tenant, name, labels);
  }

  /**
   * The first 8 bytes of SHA-256 over tenant, name and the sorted labels, each followed by a 0
   * byte. Stable across processes, versions and backends, which is what lets the aggregator, the
   * query service and every backend agree on a series without asking each other.
   */
  public static long idOf(String tenant, String name, Labels labels) {
    MessageDigest digest = sha256();
    update(digest, tenant);
    update(digest, name);
    for (Map.Entry<String, String> label : labels.asMap().entrySet()) {
      update(digest, label.getKey());
      update(digest, label.getValue());
    }
    return ByteBuffer.wrap(digest.digest()).getLong();
  }

  private static void update(MessageDigest digest, String part) {
    digest.update(part.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
