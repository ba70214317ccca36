package dev.sextant.retention;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One retention run: what started it, the cutoffs it applied, and, once finished, how many rows it
 * deleted per signal and what failed.
 *
 * @param finished null while running
 * @param error empty when every signal was cleaned; else one {@code signal: message} per failure
 */
record RetentionRun(
    long id,
    RunTrigger trigger,
    RunStatus status,
    Instant started,
    Instant finished,
    Map<Signal, Instant> cutoffs,
    Map<Signal, Long> deleted,
    String error) {

  RetentionRun {
    cutoffs = Map.copyOf(cutoffs);
    deleted = Map.copyOf(deleted);
  }

  static RetentionRun started(
      long id, RunTrigger trigger, Instant started, Map<Signal, Instant> cutoffs) {
    return new RetentionRun(id, trigger, RunStatus.RUNNING, started, null, cutoffs, Map.of(), "");
  }

  RetentionRun finished(Instant at, Map<Signal, Long> deletedRows, List<String> errors) {
    return new RetentionRun(
        id,
        trigger,
        errors.isEmpty() ? RunStatus.SUCCEEDED : RunStatus.FAILED,
        started,
        at,
        cutoffs,
        new EnumMap<>(deletedRows),
        String.join("; ", errors));
  }

  /** Rows of the signal this run deleted; 0 while running or when the signal failed. */
  long deleted(Signal signal) {
    return deleted.getOrDefault(signal, 0L);
  }
}
