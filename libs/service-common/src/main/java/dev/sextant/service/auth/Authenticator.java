package dev.sextant.service.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Turns an {@code Authorization} header value into a principal, for HTTP and gRPC alike, and checks
 * the scope this service requires.
 */
@ApplicationScoped
public class Authenticator {
  private static final Logger LOG = Logger.getLogger(Authenticator.class);

  private final AuthConfig config;
  private final ApiKeys keys;

  @Inject
  public Authenticator(AuthConfig config) {
    this.config = config;
    this.keys = config.enabled() ? ApiKeys.from(config) : ApiKeys.parse(java.util.List.of());
    if (config.enabled()) {
      LOG.infof("auth: on, %d API keys, scope %s required", keys.size(), config.requiredScope());
    } else {
      LOG.info("auth: off, every request acts for tenant 'default'");
    }
  }

  /** The outcome of authenticating one request. */
  public sealed interface Result {}

  /** The caller is known and may use this service. */
  public record Allowed(Principal principal) implements Result {}

  /** No key, or an unknown key: answer 401 / UNAUTHENTICATED. */
  public record Unauthenticated(String reason) implements Result {}

  /** A known key without the scope this service needs: answer 403 / PERMISSION_DENIED. */
  public record Forbidden(String reason) implements Result {}

  public Result authenticate(String authorizationHeader) {
    if (!config.enabled()) {
      return new Allowed(Principal.LOCAL);
    }
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      return new Unauthenticated("missing Authorization: Bearer <api key>");
    }
    String value = authorizationHeader.strip();
    if (!value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
      return new Unauthenticated("Authorization must be 'Bearer <api key>'");
    }
    return keys.lookup(value.substring("bearer ".length()).strip())
        .<Result>map(
            principal ->
                principal.has(config.requiredScope())
                    ? new Allowed(principal)
                    : new Forbidden(
                        "API key lacks scope '"
                            + config.requiredScope().name().toLowerCase(Locale.ROOT)
                            + "'"))
        .orElseGet(() -> new Unauthenticated("unknown API key"));
  }
}
