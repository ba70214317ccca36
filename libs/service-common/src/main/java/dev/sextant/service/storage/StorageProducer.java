package dev.sextant.service.storage;

import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageProvider;
import dev.sextant.storage.StorageSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Builds the configured backend once per service, wrapped in its decorators (metrics), and starts
 * it, so a service whose store cannot open fails at startup, loudly.
 */
@Singleton
public class StorageProducer {
  private static final Logger LOG = Logger.getLogger(StorageProducer.class);

  /**
   * The one key that chooses the backend: {@code sqlite} (the embedded default), {@code postgres}
   * (a PostgreSQL server: {@code sextant.storage.postgres.url} and credentials), {@code clickhouse}
   * (a ClickHouse server or cluster: {@code sextant.storage.clickhouse.endpoint}) or {@code memory}
   * (tests). A backend's own settings follow under {@code sextant.storage.<kind>.*}; each backend
   * documents and validates them, so a typo fails at startup.
   */
  public static final String KIND = "sextant.storage.kind";

  // Built at startup, not on first use: opening a store (migrations, the SQLite native library)
  // takes seconds and would otherwise block the event loop of the first request.
  @Produces
  @Singleton
  @Startup
  StorageComponent storage(Config rawConfig, MeterRegistry registry) {
    String kind = rawConfig.getOptionalValue(KIND, String.class).orElse("sqlite");
    StorageProvider provider = find(kind);
    StorageComponent backend =
        provider.create(new StorageSettings(kind, settingsOf(rawConfig, kind, provider)));
    StorageComponent decorated = new MeteredStorage(backend, registry);
    decorated.start();
    LOG.infof("storage: %s (%s)", kind, decorated.capabilities());
    return decorated;
  }

  void close(@Disposes StorageComponent storage) {
    storage.close();
  }

  private static StorageProvider find(String kind) {
    TreeSet<String> known = new TreeSet<>();
    // The SPI's own loader, not the thread's: after a Quarkus test-profile restart the thread
    // context loader is a stale one, whose providers are not subtypes of this StorageProvider.
    for (StorageProvider provider :
        ServiceLoader.load(StorageProvider.class, StorageProvider.class.getClassLoader())) {
      if (provider.kind().equals(kind)) {
        return provider;
      }
      known.add(provider.kind());
    }
    throw new IllegalArgumentException(
        "sextant.storage.kind=" + kind + " is not an available backend; available: " + known);
  }

  /**
   * The backend's settings, each looked up by its full name so environment variables work too
   * ({@code SEXTANT_STORAGE_SQLITE_SAFE_INGEST_RECORDS_PER_SECOND}); a name under the prefix that
   * the backend does not know fails the start, so typos do not pass silently.
   */
  private static Map<String, String> settingsOf(
      Config config, String kind, StorageProvider provider) {
    return settingsOf(
        config.getPropertyNames(),
        name -> config.getOptionalValue(name, String.class),
        kind,
        provider.settingNames());
  }

  static Map<String, String> settingsOf(
      Iterable<String> propertyNames,
      Function<String, Optional<String>> lookup,
      String kind,
      Set<String> known) {
    String prefix = "sextant.storage." + kind + ".";
    // The config lists an environment variable under a dotted lower-case name
    // (sextant.storage.sqlite.data.dir), so names are compared with '-' and '.' made equal.
    Set<String> knownLoose = new HashSet<>();
    known.forEach(name -> knownLoose.add(loose(name)));
    for (String name : propertyNames) {
      if (name.startsWith(prefix) && !knownLoose.contains(loose(name.substring(prefix.length())))) {
        throw new IllegalArgumentException(
            "unknown setting " + name + "; " + kind + " knows " + new TreeSet<>(known));
      }
    }
    Map<String, String> settings = new HashMap<>();
    for (String name : known) {
      lookup.apply(prefix + name).ifPresent(v -> settings.put(name, v));
    }
    return settings;
  }

  private static String loose(String settingName) {
    return settingName.toLowerCase(Locale.ROOT).replace('-', '.').replace('_', '.');
  }
}
