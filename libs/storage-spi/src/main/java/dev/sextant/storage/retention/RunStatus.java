package dev.sextant.storage.retention;

import java.util.Locale;

/** Where a retention run is. */
public enum RunStatus {
  RUNNING,
  SUCCEEDED,
  /** At least one task failed; the others ran. */
  FAILED,
  /**
   * Stopped before its end and not to be resumed: its lease was lost, or its policies changed
   * before it could be resumed. The next run starts afresh.
   */
  INTERRUPTED;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
