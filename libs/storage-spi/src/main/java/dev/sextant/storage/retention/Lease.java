package dev.sextant.storage.retention;

/**
 * A named lease in the store: at most one owner at a time until it expires. The token grows every
 * time the lease changes hands, so an owner that lost it (it expired and someone else took it) is
 * told so at its next renewal and stops: fencing.
 */
public record Lease(String name, String owner, long token, long expiresUnixNanos) {}
