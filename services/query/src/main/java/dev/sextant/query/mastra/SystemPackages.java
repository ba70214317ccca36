package dev.sextant.query.mastra;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Studio's {@code /api/system/packages}: observability on, with the storage capabilities Sextant
 * answers (metrics, logs), so Studio shows its Traces, Metrics and Logs pages.
 */
final class SystemPackages {
  private SystemPackages() {}

  static JsonObject answer() {
    return new JsonObject()
        .put(
            "packages",
            new JsonArray()
                .add(
                    new JsonObject().put("name", "@mastra/observability").put("version", "1.17.9")))
        .put("isDev", false)
        .put("cmsEnabled", false)
        .put("liveKitConnectionRouteEnabled", false)
        .put("observabilityEnabled", true)
        .put("storageType", "Sextant")
        .put("observabilityStorageType", "Sextant")
        .put(
            "observabilityStorageCapabilities",
            new JsonObject()
                .put("metrics", true)
                .put("logs", true)
                .put("traceQueryDiscovery", false))
        .put("observabilityRuntimeStrategy", "insert-only");
  }
}
