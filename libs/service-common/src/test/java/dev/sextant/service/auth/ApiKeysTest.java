package dev.sextant.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  private static final String ACME_KEY = "acme-secret-1";
  private static final String SERVICE_KEY = "ingest-service-key";

  private final ApiKeys keys =
      ApiKeys.parse(
          List.of(
              "# comment lines and blank lines are skipped",
              "",
              "acme/ingest+query/" + ApiKeys.sha256Hex(ACME_KEY),
              "*/ingest/" + ApiKeys.sha256Hex(SERVICE_KEY).toUpperCase()));

  @Test
  void knownKeysMapToTheirTenantAndScopes() {
    Principal acme = keys.lookup(ACME_KEY).orElseThrow();
    assertThat(acme.tenant()).isEqualTo("acme");
    assertThat(acme.scopes()).containsExactlyInAnyOrder(Scope.INGEST, Scope.QUERY);
    assertThat(acme.mayActFor("acme")).isTrue();
    assertThat(acme.mayActFor("globex")).isFalse();
  }

  @Test
  void serviceKeysActForEveryTenant() {
    Principal service = keys.lookup(SERVICE_KEY).orElseThrow();
    assertThat(service.scopes()).isEqualTo(Set.of(Scope.INGEST));
    assertThat(service.mayActFor("acme")).isTrue();
    assertThat(service.mayActFor("globex")).isTrue();
  }

  @Test
  void unknownKeysAndTheHashItselfAreNotAccepted() {
    assertThat(keys.lookup("acme-secret-2")).isEmpty();
    assertThat(keys.lookup(ApiKeys.sha256Hex(ACME_KEY))).isEmpty();
  }

  @Test
  void malformedEntriesFailWithoutEchoingTheSecretPart() {
    assertThatThrownBy(() -> ApiKeys.parse(List.of("acme/ingest")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tenant/scope+scope/sha256-hex");
    assertThatThrownBy(() -> ApiKeys.parse(List.of("acme/ingest/not-a-hash")))
        .hasMessageContaining("64 hex");
    assertThatThrownBy(() -> ApiKeys.parse(List.of("acme/reboot/" + "a".repeat(64))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiKeys.parse(List.of("bad tenant!/ingest/" + "a".repeat(64))))
        .hasMessageContaining("invalid tenant");
  }

  @Test
  void sha256MatchesTheCommandLineHelper() {
    // ./sextant hash-key secret prints this (printf secret | sha256sum).
    assertThat(ApiKeys.sha256Hex("secret"))
        .isEqualTo("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b");
  }
}
