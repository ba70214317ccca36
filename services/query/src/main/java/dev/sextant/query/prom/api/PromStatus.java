package dev.sextant.query.prom.api;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The {@code /api/v1/status/*} answers clients read on connect. {@code buildinfo} names the
 * Prometheus version whose query semantics Sextant reproduces (2.42.0), since Grafana and other
 * clients pick features by that number; the {@code application} field says who answers.
 */
@ApplicationScoped
public class PromStatus {
  /** The Prometheus release the engine is checked against (ADR 0006). */
  static final String PROMETHEUS_VERSION = "2.42.0";

  private Instant started = Instant.now();

  void onStart(@Observes StartupEvent event) {
    started = Instant.now();
  }

  String buildInfo() {
    return "{\"version\":\""
        + PROMETHEUS_VERSION
        + "\",\"revision\":\"\",\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\","
        + "\"goVersion\":\"\",\"application\":\"sextant\"}";
  }

  String runtimeInfo() {
    StringBuilder out = new StringBuilder("{\"startTime\":");
    PromJson.string(out, started.toString());
    out.append(",\"CWD\":");
    PromJson.string(out, Path.of("").toAbsolutePath().toString());
    out.append(",\"reloadConfigSuccess\":true,\"lastConfigTime\":");
    PromJson.string(out, started.toString());
    out.append(",\"corruptionCount\":0,\"goroutineCount\":")
        .append(ManagementFactory.getThreadMXBean().getThreadCount())
        .append(",\"GOMAXPROCS\":")
        .append(Runtime.getRuntime().availableProcessors())
        .append(",\"GOGC\":\"\",\"GODEBUG\":\"\",\"storageRetention\":\"\"}");
    return out.toString();
  }

  String flags() {
    return "{}";
  }

  String config() {
    return "{\"yaml\":\"\"}";
  }
}
