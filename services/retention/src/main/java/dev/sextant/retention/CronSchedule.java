package dev.sextant.retention;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Quartz cron expressions (seconds first), read the way the Quarkus scheduler reads them, so a
 * policy's schedule is refused when it is saved rather than when the scheduler meets it.
 */
final class CronSchedule {
  private static final CronParser QUARTZ =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  private CronSchedule() {}

  /** Why the expression is not a Quartz cron expression; empty when it is one. */
  static Optional<String> problem(String expression) {
    try {
      QUARTZ.parse(expression).validate();
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** When the expression fires next after {@code after}, in the zone the scheduler uses. */
  static Optional<Instant> next(String expression, Instant after, ZoneId zone) {
    try {
      return ExecutionTime.forCron(QUARTZ.parse(expression))
          .nextExecution(after.atZone(zone))
          .map(time -> time.toInstant());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
