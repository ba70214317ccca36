package dev.sextant.service.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StorageSettingsLookupTest {
  private static final Set<String> KNOWN = Set.of("data-dir", "safe-ingest-records-per-second");

  @Test
  void environmentVariablesOfMultiWordSettingsAreAccepted() {
    // How the config lists SEXTANT_STORAGE_SQLITE_SAFE_INGEST_RECORDS_PER_SECOND=50000.
    Map<String, String> config =
        Map.of("sextant.storage.sqlite.safe-ingest-records-per-second", "50000");
    Map<String, String> settings =
        StorageProducer.settingsOf(
            List.of("sextant.storage.sqlite.safe.ingest.records.per.second", "quarkus.http.port"),
            name -> Optional.ofNullable(config.get(name)),
            "sqlite",
            KNOWN);
    assertEquals(Map.of("safe-ingest-records-per-second", "50000"), settings);
  }

  @Test
  void aTypoFailsAndNamesWhatIsKnown() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                StorageProducer.settingsOf(
                    List.of("sextant.storage.sqlite.data-dri"),
                    name -> Optional.empty(),
                    "sqlite",
                    KNOWN));
    assertTrue(e.getMessage().contains("sextant.storage.sqlite.data-dri"), e.getMessage());
    assertTrue(e.getMessage().contains("[data-dir, safe-ingest-records-per-second]"));
  }

  @Test
  void anotherBackendsSettingsAreNotChecked() {
    assertEquals(
        Map.of(),
        StorageProducer.settingsOf(
            List.of("sextant.storage.postgres.url"), name -> Optional.empty(), "sqlite", KNOWN));
  }
}
