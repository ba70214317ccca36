package dev.sextant.storage;

/**
 * How services find a backend: each backend module registers one provider with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/dev.sextant.storage.StorageProvider}), and the
 * configuration key {@code sextant.storage.kind} picks one by {@link #kind()}. Adding a backend is
 * adding a dependency; no service code changes.
 */
public interface StorageProvider {

  /** The name configured in {@code sextant.storage.kind}, e.g. {@code sqlite}. */
  String kind();

  /**
   * The names of the settings this backend reads ({@code data-dir}, not {@code
   * sextant.storage.sqlite.data-dir}). Services look each one up, from any config source,
   * environment variables included, and refuse to start on a setting not in this set.
   */
  java.util.Set<String> settingNames();

  /**
   * Builds the backend, without I/O, from its settings ({@code sextant.storage.<kind>.*} with the
   * prefix removed). Unknown or invalid settings fail with {@link IllegalArgumentException} naming
   * the setting.
   */
  StorageComponent create(StorageSettings settings);
}
