package dev.sextant.retention;

import dev.sextant.storage.retention.RetentionSignal;
import java.util.Arrays;

/** The signal names the API accepts. */
final class Signals {
  private Signals() {}

  /** The JSON names of every signal, for error messages. */
  static String names() {
    return String.join(
        ", ", Arrays.stream(RetentionSignal.values()).map(RetentionSignal::jsonName).toList());
  }
}
