package dev.sextant.storage.retention;

import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.Span;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The rows a retention operation addresses: of one signal and one tenant (never more: an operation
 * cannot reach another tenant's data), matching {@code include} and none of {@code exclude}. The
 * exclusions are the rows that more specific policies govern, so each row is aged by exactly one
 * policy.
 */
public record RowSet(
    RetentionSignal signal,
    String tenant,
    RetentionSelector include,
    List<RetentionSelector> exclude) {

  public RowSet {
    Objects.requireNonNull(signal, "signal");
    if (tenant == null || tenant.isEmpty() || tenant.equals(RetentionPolicy.ALL_TENANTS)) {
      throw new IllegalArgumentException("a row set belongs to one tenant, got " + tenant);
    }
    include = include == null ? RetentionSelector.ANY : include;
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
  }

  /** Every row of the signal of the tenant. */
  public static RowSet all(RetentionSignal signal, String tenant) {
    return new RowSet(signal, tenant, RetentionSelector.ANY, List.of());
  }

  /** Whether a row whose selector fields read these values belongs to the set. */
  public boolean matches(String service, String environment, String entityType, String entityName) {
    return matches(s -> s.matches(service, environment, entityType, entityName));
  }

  /** Whether the span is in the set (its tenant aside, which the caller checks). */
  public boolean matches(Span span) {
    return matches(s -> s.matches(span));
  }

  /** Whether the record is in the set (its tenant aside). */
  public boolean matches(LogRecord record) {
    return matches(s -> s.matches(record));
  }

  /** Whether the series' rows are in the set (its tenant aside). */
  public boolean matches(MetricSeries series) {
    return matches(s -> s.matches(series));
  }

  private boolean matches(Predicate<RetentionSelector> selects) {
    if (!selects.test(include)) {
      return false;
    }
    for (RetentionSelector excluded : exclude) {
      if (selects.test(excluded)) {
        return false;
      }
    }
    return true;
  }

  /** Whether every row of the tenant's signal belongs to the set. */
  public boolean isWholeTenant() {
    return include.isAny() && exclude.isEmpty();
  }
}
