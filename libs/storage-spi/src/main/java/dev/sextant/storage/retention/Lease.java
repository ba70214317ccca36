package dev.sextant.storage.retention;

import java.util.Optional;

/**
 * A named lease in the store: at most one owner at a time until it expires. The token grows every
 * time the lease changes hands, so an owner that lost it (it expired and someone else took it) is
 * told so at its next renewal and stops: fencing.
 */
public record Lease(String name, String owner, long token, long expiresUnixNanos) {

  /**
   * The rule of {@link RetentionStore#acquireLease}, for every backend: what {@code owner} gets
   * when {@code held} (null: none) is stored; empty when someone else holds it.
   */
  public static Optional<Lease> grant(
      Lease held, String name, String owner, long nowUnixNanos, long ttlNanos) {
    long expires = expiry(nowUnixNanos, ttlNanos);
    if (held == null) {
      return Optional.of(new Lease(name, owner, 1, expires));
    }
    if (held.owner.equals(owner)) {
      return Optional.of(new Lease(name, owner, held.token, expires));
    }
    if (held.expiresUnixNanos <= nowUnixNanos) {
      return Optional.of(new Lease(name, owner, held.token + 1, expires));
    }
    return Optional.empty();
  }

  /** Whether {@code stored} is still this lease: same owner, same token. */
  public boolean isHeldAs(Lease stored) {
    return stored != null && stored.owner.equals(owner) && stored.token == token;
  }

  /** This lease extended to {@code ttlNanos} after now. */
  public Lease renewed(long nowUnixNanos, long ttlNanos) {
    return new Lease(name, owner, token, expiry(nowUnixNanos, ttlNanos));
  }

  /** This lease given up: expired rather than removed, so the token keeps growing. */
  public Lease released() {
    return new Lease(name, owner, token, Long.MIN_VALUE);
  }

  private static long expiry(long now, long ttl) {
    long sum = now + ttl;
    return ((now ^ sum) & (ttl ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
