package dev.sextant.tracespec;

import java.util.Locale;

/** OpenTelemetry's severity ranges, by which log expectations name a level. */
public enum LogLevel {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR,
  FATAL;

  /**
   * The level of a record: from its severity number (1-4 TRACE ... 21-24 FATAL), else from its
   * severity text ({@code warning} is WARN); null when neither says.
   */
  public static LogLevel of(int severityNumber, String severityText) {
    if (severityNumber >= 1 && severityNumber <= 24) {
      return values()[(severityNumber - 1) / 4];
    }
    String text = severityText == null ? "" : severityText.strip().toUpperCase(Locale.ROOT);
    for (LogLevel level : values()) {
      if (!text.isEmpty() && text.startsWith(level.name())) {
        return level;
      }
    }
    return switch (text) {
      case "ERR" -> ERROR;
      case "CRITICAL" -> FATAL;
      default -> null;
    };
  }
}
