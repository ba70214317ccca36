package dev.sextant.service.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * API-key authentication. Off by default for a local single-user run (everything then belongs to
 * the tenant {@code default}); on in the Kubernetes manifests.
 *
 * <p>Keys are configured by their SHA-256 hash only, never in clear: an entry is {@code
 * tenant/scope+scope/sha256-hex}, for example {@code acme/ingest+query/9f86d08...}. {@code
 * ./sextant hash-key KEY} prints the hash of a key.
 */
@ConfigMapping(prefix = "sextant.auth")
public interface AuthConfig {

  /** Whether requests must carry {@code Authorization: Bearer <key>}. */
  @WithDefault("false")
  boolean enabled();

  /** The scope this service's API requires. */
  Scope requiredScope();

  /** Key entries inline (tests, small installs). */
  Optional<List<String>> keys();

  /** A file of key entries, one per line, {@code #} comments allowed (a mounted Secret). */
  Optional<String> keysFile();
}
