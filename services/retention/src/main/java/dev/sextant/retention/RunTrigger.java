package dev.sextant.retention;

import java.util.Locale;

/** What started a run. */
enum RunTrigger {
  SCHEDULE,
  MANUAL,
  STARTUP,
  /** A run whose instance died, continued by another. */
  RESUME;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
