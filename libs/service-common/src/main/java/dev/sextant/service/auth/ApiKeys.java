package dev.sextant.service.auth;

import dev.sextant.model.Tenants;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The known API keys, by the SHA-256 of the key: a presented key is hashed and looked up. */
public final class ApiKeys {
  private final Map<String, Principal> byHash;

  private ApiKeys(Map<String, Principal> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  /** Parses entries of the form {@code tenant/scope+scope/sha256-hex}. */
  public static ApiKeys parse(List<String> entries) {
    Map<String, Principal> byHash = new java.util.HashMap<>();
    for (String raw : entries) {
      String entry = raw.strip();
      if (entry.isEmpty() || entry.startsWith("#")) {
        continue;
      }
      String[] parts = entry.split("/");
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            "API key entry must be tenant/scope+scope/sha256-hex, got: " + redact(entry));
      }
      String tenant = parts[0].equals(Principal.ANY_TENANT) ? parts[0] : Tenants.require(parts[0]);
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      for (String scope : parts[1].split("\\+")) {
        scopes.add(Scope.valueOf(scope.strip().toUpperCase(Locale.ROOT)));
      }
      String hash = parts[2].strip().toLowerCase(Locale.ROOT);
      if (!hash.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("API key hash must be 64 hex characters (SHA-256)");
      }
      byHash.put(hash, new Principal(tenant, scopes));
    }
    return new ApiKeys(byHash);
  }

  public static ApiKeys from(AuthConfig config) {
    List<String> entries = new ArrayList<>(config.keys().orElse(List.of()));
    config
        .keysFile()
        .ifPresent(
            file -> {
              try {
                entries.addAll(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8));
              } catch (IOException e) {
                throw new UncheckedIOException("cannot read API keys file " + file, e);
              }
            });
    return parse(entries);
  }

  /** The principal of a presented key, if the key is known. */
  public Optional<Principal> lookup(String presentedKey) {
    return Optional.ofNullable(byHash.get(sha256Hex(presentedKey)));
  }

  public int size() {
    return byHash.size();
  }

  public static String sha256Hex(String key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String redact(String entry) {
    return entry
            .chars()
            .limit(12)
            .mapToObj(c -> String.valueOf((char) c))
            .collect(Collectors.joining())
        + "...";
  }
}
