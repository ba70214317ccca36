package dev.sextant.retention;

import dev.sextant.service.auth.AuthConfig;
import dev.sextant.storage.StorageComponent;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the plain classes of retention into CDI; they know nothing of it themselves. */
@Singleton
class RetentionBeans {

  @Produces
  @Singleton
  RetentionMetrics metrics(MeterRegistry registry) {
    return new RetentionMetrics(registry);
  }

  @Produces
  @Singleton
  RetentionRunner runner(
      StorageComponent storage, Clock clock, RetentionConfig config, RetentionMetrics metrics) {
    return new RetentionRunner(storage, clock, config, metrics);
  }

  void closeRunner(@Disposes RetentionRunner runner) {
    runner.close();
  }

  @Produces
  @Singleton
  PolicyService policies(
      StorageComponent storage, Clock clock, RetentionConfig config, RetentionSchedule schedule) {
    return new PolicyService(storage.retention(), clock, config, schedule::changed);
  }

  @Produces
  @Singleton
  DryRun dryRun(StorageComponent storage, RetentionRunner runner, RetentionConfig config) {
    return new DryRun(
        storage.retention(), runner, storage.capabilities().kind(), config.deleteTimeout());
  }

  @Produces
  @Singleton
  Authorities authorities(AuthConfig auth) {
    return new Authorities(auth.enabled());
  }
}
