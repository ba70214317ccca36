package dev.sextant.retention;

import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Which policy governs a row, so each row is aged by exactly one: of the policies of its signal
 * that apply to its tenant and select it, the most specific — a tenant's own before one of every
 * tenant, then more selector fields before fewer; among equals the longer max age, so that an
 * ambiguous row is kept rather than lost; then the id, so the order is total. A policy's rows are
 * its selector's minus those of every policy that outranks it and can select the same rows.
 */
final class Precedence {
  private Precedence() {}

  private static final Comparator<RetentionPolicy> RANK =
      Comparator.comparing((RetentionPolicy p) -> !p.appliesToAllTenants())
          .thenComparingInt(p -> p.selector().specificity())
          .thenComparing(RetentionPolicy::maxAge)
          .thenComparing(RetentionPolicy::id, Comparator.reverseOrder());

  /** Whether {@code q} wins over {@code p} where both select a row. */
  static boolean outranks(RetentionPolicy q, RetentionPolicy p) {
    return RANK.compare(q, p) > 0;
  }

  /** Whether some row can be selected by both. */
  static boolean overlap(RetentionSelector a, RetentionSelector b) {
    return compatible(a.service(), b.service())
        && compatible(a.environment(), b.environment())
        && compatible(a.entityType(), b.entityType())
        && compatible(a.entityName(), b.entityName());
  }

  private static boolean compatible(String a, String b) {
    return a == null || b == null || a.equals(b);
  }

  static boolean appliesTo(RetentionPolicy policy, String tenant) {
    return policy.appliesToAllTenants() || policy.tenant().equals(tenant);
  }

  /** The rows of the tenant that the policy governs. */
  static RowSet governed(RetentionPolicy policy, String tenant, List<RetentionPolicy> all) {
    List<RetentionSelector> exclude = new ArrayList<>();
    for (RetentionPolicy other : all) {
      if (!other.id().equals(policy.id())
          && other.signal() == policy.signal()
          && appliesTo(other, tenant)
          && overlap(other.selector(), policy.selector())
          && outranks(other, policy)
          && !exclude.contains(other.selector())) {
        exclude.add(other.selector());
      }
    }
    return new RowSet(policy.signal(), tenant, policy.selector(), exclude);
  }

  /**
   * What a run's plan depends on: the id and version of every policy of the signal. A crashed run
   * is resumed with its cutoffs only while this is unchanged.
   */
  static String fingerprint(RetentionSignal signal, List<RetentionPolicy> all) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    all.stream()
        .filter(p -> p.signal() == signal)
        .sorted(Comparator.comparing(RetentionPolicy::id))
        .forEach(
            p ->
                sha256.update(
                    (p.id() + '\0' + p.version() + '\0').getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(sha256.digest(), 0, 12);
  }
}
