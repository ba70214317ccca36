package dev.sextant.retention;

import dev.sextant.protocol.retention.v1.GetPolicyRequest;
import dev.sextant.protocol.retention.v1.ListRunsRequest;
import dev.sextant.protocol.retention.v1.ListRunsResponse;
import dev.sextant.protocol.retention.v1.Policy;
import dev.sextant.protocol.retention.v1.RetentionService;
import dev.sextant.protocol.retention.v1.Run;
import dev.sextant.protocol.retention.v1.RunNowRequest;
import dev.sextant.protocol.retention.v1.RunStatus;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** The gRPC admin API (scope {@code admin}); the same operations as {@link RetentionResource}. */
@GrpcService
class RetentionGrpcService implements RetentionService {
  private final RetentionRunner runner;
  private final RetentionSchedule schedule;
  private final RetentionConfig config;

  @Inject
  RetentionGrpcService(RetentionRunner runner, RetentionSchedule schedule, RetentionConfig config) {
    this.runner = runner;
    this.schedule = schedule;
    this.config = config;
  }

  @Override
  public Uni<Policy> getPolicy(GetPolicyRequest request) {
    return Uni.createFrom()
        .item(
            () -> {
              RetentionPolicy policy = runner.policy();
              return Policy.newBuilder()
                  .setSpansMaxAgeSeconds(policy.maxAge(Signal.SPANS).toSeconds())
                  .setLogsMaxAgeSeconds(policy.maxAge(Signal.LOGS).toSeconds())
                  .setMetricPointsMaxAgeSeconds(policy.maxAge(Signal.METRIC_POINTS).toSeconds())
                  .setSchedule(config.schedule())
                  .setEnabled(config.enabled())
                  .setRunOnStart(config.runOnStart())
                  .setNextRunUnixNano(schedule.nextRun().map(UnixNanos::of).orElse(0L))
                  .build();
            });
  }

  @Override
  public Uni<Run> runNow(RunNowRequest request) {
    return switch (runner.trigger(RunTrigger.MANUAL)) {
      case RetentionRunner.Started started -> started.finished().map(RetentionGrpcService::run);
      case RetentionRunner.AlreadyRunning busy -> Uni.createFrom().item(run(busy.running()));
    };
  }

  @Override
  public Uni<ListRunsResponse> listRuns(ListRunsRequest request) {
    // uint32: a limit above 2^31 arrives negative and means "all" like 0.
    int limit = request.getLimit() <= 0 ? Integer.MAX_VALUE : request.getLimit();
    return Uni.createFrom()
        .item(
            () ->
                ListRunsResponse.newBuilder()
                    .addAllRuns(runner.runs(limit).stream().map(RetentionGrpcService::run).toList())
                    .build());
  }

  private static Run run(RetentionRun run) {
    return Run.newBuilder()
        .setId(run.id())
        .setTrigger(run.trigger().tag())
        .setStatus(
            switch (run.status()) {
              case RUNNING -> RunStatus.RUN_STATUS_RUNNING;
              case SUCCEEDED -> RunStatus.RUN_STATUS_SUCCEEDED;
              case FAILED -> RunStatus.RUN_STATUS_FAILED;
            })
        .setStartedUnixNano(UnixNanos.of(run.started()))
        .setFinishedUnixNano(run.finished() == null ? 0 : UnixNanos.of(run.finished()))
        .setSpansCutoffUnixNano(UnixNanos.of(run.cutoffs().get(Signal.SPANS)))
        .setLogsCutoffUnixNano(UnixNanos.of(run.cutoffs().get(Signal.LOGS)))
        .setMetricPointsCutoffUnixNano(UnixNanos.of(run.cutoffs().get(Signal.METRIC_POINTS)))
        .setSpansDeleted(run.deleted(Signal.SPANS))
        .setLogsDeleted(run.deleted(Signal.LOGS))
        .setMetricPointsDeleted(run.deleted(Signal.METRIC_POINTS))
        .setError(run.error())
        .build();
  }
}
