package dev.sextant.query.auth;

import dev.sextant.service.auth.ApiKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Authentication on, with keys of two tenants, a key without the query scope and a service key. */
public class AuthOnProfile implements QuarkusTestProfile {
  static final String ACME_KEY = "acme-reader-key-0123456789";
  static final String GLOBEX_KEY = "globex-reader-key-0123456789";
  static final String ACME_INGEST_ONLY_KEY = "acme-ingest-key-0123456789";
  static final String SERVICE_KEY = "service-key-0123456789";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "sextant.auth.enabled",
        "true",
        "sextant.auth.keys",
        String.join(
            ",",
            "acme/query/" + ApiKeys.sha256Hex(ACME_KEY),
            "globex/query/" + ApiKeys.sha256Hex(GLOBEX_KEY),
            "acme/ingest/" + ApiKeys.sha256Hex(ACME_INGEST_ONLY_KEY),
            "*/ingest+query/" + ApiKeys.sha256Hex(SERVICE_KEY)));
  }
}
