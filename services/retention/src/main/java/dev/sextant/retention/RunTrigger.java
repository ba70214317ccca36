package dev.sextant.retention;

import java.util.Locale;

/** What started a run. */
enum RunTrigger {
  SCHEDULE,
  MANUAL,
  STARTUP;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
