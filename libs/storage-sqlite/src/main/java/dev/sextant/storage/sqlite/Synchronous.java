package dev.sextant.storage.sqlite;

/**
 * How hard SQLite pushes a commit to the disk ({@code PRAGMA synchronous}) in WAL mode.
 *
 * <p>{@link #FULL} syncs the WAL on every commit: an acknowledged write survives power loss. {@link
 * #NORMAL} syncs only at checkpoints: the database never corrupts, but the last commits before a
 * power loss (not a process crash) can be lost. Group commit makes FULL cheap, so it is the default
 * (DESIGN §2.2: no data lost once acknowledged).
 */
public enum Synchronous {
  NORMAL,
  FULL
}
