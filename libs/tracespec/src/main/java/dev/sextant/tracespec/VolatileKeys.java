package dev.sextant.tracespec;

import java.util.List;

/** Globs of attribute keys whose values differ from run to run; see {@link RecordOptions}. */
final class VolatileKeys {
  private final List<TextPattern> globs;
  private final MatchBudget unbounded = new MatchBudget(Long.MAX_VALUE, Long.MAX_VALUE);

  VolatileKeys(List<String> globs) {
    this.globs = globs.stream().map(TextPattern::glob).toList();
  }

  boolean contains(String key) {
    for (TextPattern p : globs) {
      if (p.matches(key, unbounded)) {
        return true;
      }
    }
    return false;
  }
}
