package dev.sextant.aggregator;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A store whose metric writes the test holds and releases, and a credit window of 2. */
public final class GatedStoreProfile implements QuarkusTestProfile {
  static final int WINDOW = 2;

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "sextant.storage.kind",
        "gated",
        "sextant.aggregator.credit-window",
        String.valueOf(WINDOW));
  }
}
