package dev.sextant.storage.memory;

import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageProvider;
import dev.sextant.storage.StorageSettings;
import java.util.Set;

/** Registers the in-memory backend as {@code sextant.storage.kind=memory}; it has no settings. */
public final class InMemoryStorageProvider implements StorageProvider {
  @Override
  public String kind() {
    return "memory";
  }

  @Override
  public Set<String> settingNames() {
    return Set.of();
  }

  @Override
  public StorageComponent create(StorageSettings settings) {
    return new InMemoryStorage();
  }
}
