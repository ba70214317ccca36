package dev.sextant.retention;

import java.util.Locale;

/** Where a run is. */
enum RunStatus {
  RUNNING,
  SUCCEEDED,
  /** At least one signal could not be cleaned; the others were. */
  FAILED;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
