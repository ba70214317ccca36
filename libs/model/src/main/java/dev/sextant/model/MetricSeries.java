package dev.sextant.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A metric series: its identity (tenant, metric name, sorted labels; DESIGN §2.4) and the metadata
 * that travels with it (type, temporality, unit, description), which is not part of the identity.
 *
 * <p>A value class with record-style accessors; not a record only so that its id, a SHA-256 hash,
 * is computed once per object rather than on every use along the pipeline.
 */
public final class MetricSeries {
  private final String tenant;
  private final String name;
  private final Labels labels;
  private final MetricType type;
  private final Temporality temporality;
  private final String unit;
  private final String description;
  private long id;
  private int hash; // 0 until computed; racy but idempotent, as String's own hash
  // Written after id: a thread that sees it true sees the id too.
  private volatile boolean hashed;

  public MetricSeries(
      String tenant,
      String name,
      Labels labels,
      MetricType type,
      Temporality temporality,
      String unit,
      String description) {
    this.tenant = tenant;
    this.name = name;
    this.labels = labels == null ? Labels.empty() : labels;
    this.type = type;
    this.temporality = temporality;
    this.unit = unit == null ? "" : unit;
    this.description = description == null ? "" : description;
  }

  public String tenant() {
    return tenant;
  }

  public String name() {
    return name;
  }

  public Labels labels() {
    return labels;
  }

  public MetricType type() {
    return type;
  }

  public Temporality temporality() {
    return temporality;
  }

  public String unit() {
    return unit;
  }

  public String description() {
    return description;
  }

  /** The stable id of this series: the same identity gives the same id in every process. */
  public long id() {
    if (!hashed) {
      id = idOf(tenant, name, labels);
      hashed = true;
    }
    return id;
  }

  /**
   * The first 8 bytes of SHA-256 over tenant, name and the sorted labels, each followed by a 0
   * byte. Stable across processes, versions and backends, which is what lets the aggregator, the
   * query service and every backend agree on a series without asking each other.
   */
  public static long idOf(String tenant, String name, Labels labels) {
    MessageDigest digest = SHA_256.get();
    update(digest, tenant);
    update(digest, name);
    for (int i = 0; i < labels.size(); i++) {
      update(digest, labels.name(i));
      update(digest, labels.value(i));
    }
    return ByteBuffer.wrap(digest.digest()).getLong();
  }

  private static void update(MessageDigest digest, String part) {
    digest.update(part.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
  }

  /** One digest per thread: looking one up costs more than hashing a short label set. */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(MetricSeries::sha256);

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof MetricSeries s
            && Objects.equals(tenant, s.tenant)
            && Objects.equals(name, s.name)
            && labels.equals(s.labels)
            && type == s.type
            && temporality == s.temporality
            && unit.equals(s.unit)
            && description.equals(s.description));
  }

  /** From the fields, not the id: finding a canonical instance must not cost a SHA-256. */
  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Objects.hash(tenant, name, labels, type, temporality, unit, description);
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    return "MetricSeries[tenant="
        + tenant
        + ", name="
        + name
        + ", labels="
        + labels
        + ", type="
        + type
        + ", temporality="
        + temporality
        + ", unit="
        + unit
        + ", description="
        + description
        + "]";
  }
}
