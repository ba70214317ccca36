package dev.sextant.retention;

import dev.sextant.service.auth.ApiKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** As deployed: authentication on and a run of every policy at startup. */
public final class ProductionLikeProfile implements QuarkusTestProfile {
  static final String ADMIN_KEY = "acme-admin-key";
  static final String SERVICE_ADMIN_KEY = "operator-admin-key";
  static final String INGEST_KEY = "acme-ingest-key";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "sextant.auth.enabled",
        "true",
        "sextant.auth.keys",
        "acme/admin/"
            + ApiKeys.sha256Hex(ADMIN_KEY)
            + ",*/admin/"
            + ApiKeys.sha256Hex(SERVICE_ADMIN_KEY)
            + ",*/ingest+query/"
            + ApiKeys.sha256Hex(INGEST_KEY),
        "sextant.retention.run-on-start",
        "true");
  }
}
