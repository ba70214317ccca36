package dev.sextant.aggregator;

import dev.sextant.service.auth.ApiKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Authentication on, with a service key, a key bound to tenant acme, and a query-only key. */
public final class AuthProfile implements QuarkusTestProfile {
  static final String SERVICE_KEY = "service-key-for-ingest";
  static final String ACME_KEY = "acme-ingest-key";
  static final String ACME_QUERY_KEY = "acme-query-key";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "sextant.auth.enabled",
        "true",
        "sextant.auth.keys",
        String.join(
            ",",
            "*/ingest/" + ApiKeys.sha256Hex(SERVICE_KEY),
            "acme/ingest/" + ApiKeys.sha256Hex(ACME_KEY),
            "acme/query/" + ApiKeys.sha256Hex(ACME_QUERY_KEY)));
  }
}
