package dev.sextant.aggregator.metadata;

import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.Temporality;
import dev.sextant.storage.MetricStore;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One meaning per metric name and tenant (DESIGN §2.5): the first type, received temporality and
 * unit a name arrives with are kept (in the store's metric metadata) and points that disagree are
 * refused, because a name that is a counter in one series and a gauge in another, or delta here and
 * cumulative there, cannot be queried sensibly. Untyped points (remote write) agree with anything.
 * A tenant's metadata is read from the store once, then kept in memory and written through.
 */
public final class MetadataGuard {
  private final MetricStore store;
  private final Map<String, Map<String, MetricMetadata>> byTenant = new ConcurrentHashMap<>();

  public MetadataGuard(MetricStore store) {
    this.store = store;
  }

  /** Why a point's metric disagrees with its name's metadata. */
  public enum Conflict {
    TYPE,
    TEMPORALITY,
    UNIT
  }

  /** A point that disagrees with its name's metadata, and how. */
  public record Disagreement(Conflict conflict, String message) {}

  /** Makes the tenant's metadata available to {@link #check}; reads it once. */
  public Uni<Void> load(String tenant) {
    if (byTenant.containsKey(tenant)) {
      return Uni.createFrom().voidItem();
    }
    return store
        .metadata(tenant, null)
        .invoke(
            all -> {
              Map<String, MetricMetadata> names = new ConcurrentHashMap<>();
              for (MetricMetadata m : all) {
                names.put(m.name(), m);
              }
              byTenant.putIfAbsent(tenant, names);
            })
        .replaceWithVoid();
  }

  /**
   * Checks a point's metric against its name's metadata; a name seen for the first time takes this
   * metadata, which is then in {@code created} to be written to the store.
   *
   * @return null when the point agrees
   */
  public Disagreement check(
      MetricSeries series, Temporality received, List<MetricMetadata> created) {
    Map<String, MetricMetadata> names = byTenant.get(series.tenant());
    if (names == null) {
      throw new IllegalStateException("metadata of tenant " + series.tenant() + " not loaded");
    }
    MetricMetadata offered =
        new MetricMetadata(
            series.tenant(),
            series.name(),
            series.type(),
            received,
            series.unit(),
            series.description());
    MetricMetadata known = names.putIfAbsent(series.name(), offered);
    if (known == null) {
      created.add(offered);
      return null;
    }
    Conflict conflict = conflict(known, offered);
    if (conflict == null) {
      return null;
    }
    String message =
        switch (conflict) {
          case TYPE ->
              "metric '"
                  + series.name()
                  + "' is a "
                  + known.type()
                  + " here, but this point is a "
                  + series.type();
          case TEMPORALITY ->
              "metric '"
                  + series.name()
                  + "' arrives with "
                  + known.receivedTemporality()
                  + " temporality here, but this point is "
                  + received;
          case UNIT ->
              "metric '"
                  + series.name()
                  + "' has unit '"
                  + known.unit()
                  + "' here, but this point says '"
                  + series.unit()
                  + "'";
        };
    return new Disagreement(conflict, message);
  }

  /** Which conflict a check found (for counting); null when none. */
  public static Conflict conflict(MetricMetadata known, MetricMetadata offered) {
    if (known.type() == MetricType.UNKNOWN || offered.type() == MetricType.UNKNOWN) {
      return null;
    }
    if (known.type() != offered.type()) {
      return Conflict.TYPE;
    }
    if (known.receivedTemporality() != offered.receivedTemporality()) {
      return Conflict.TEMPORALITY;
    }
    if (!known.unit().equals(offered.unit())) {
      return Conflict.UNIT;
    }
    return null;
  }

  /**
   * Forgets metadata taken from a batch whose write failed, so the name's next point takes it again
   * and it reaches the store.
   */
  public void forget(List<MetricMetadata> created) {
    for (MetricMetadata m : created) {
      Map<String, MetricMetadata> names = byTenant.get(m.tenant());
      if (names != null) {
        names.remove(m.name(), m);
      }
    }
  }

  /** Writes the metadata of names seen for the first time. */
  public Uni<Void> write(List<MetricMetadata> created) {
    return created.isEmpty()
        ? Uni.createFrom().voidItem()
        : store.writeMetadata(new ArrayList<>(created));
  }
}
