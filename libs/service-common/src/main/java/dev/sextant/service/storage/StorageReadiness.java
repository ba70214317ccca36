package dev.sextant.service.storage;

import dev.sextant.storage.CheckResult;
import dev.sextant.storage.StorageComponent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness asks the store: a service whose store cannot answer takes no traffic. */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {
  @Inject StorageComponent storage;

  @Override
  public HealthCheckResponse call() {
    CheckResult result = storage.check();
    return HealthCheckResponse.named("storage")
        .status(result.ok())
        .withData("kind", storage.capabilities().kind())
        .withData("detail", result.ok() ? "ok" : result.detail())
        .build();
  }
}
