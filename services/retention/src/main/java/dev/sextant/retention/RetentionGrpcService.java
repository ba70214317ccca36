package dev.sextant.retention;

import dev.sextant.protocol.retention.v1.CreatePolicyRequest;
import dev.sextant.protocol.retention.v1.DayCount;
import dev.sextant.protocol.retention.v1.DeletePolicyRequest;
import dev.sextant.protocol.retention.v1.DeletePolicyResponse;
import dev.sextant.protocol.retention.v1.DryRunRequest;
import dev.sextant.protocol.retention.v1.DryRunResponse;
import dev.sextant.protocol.retention.v1.DryRunTask;
import dev.sextant.protocol.retention.v1.GetOldestRequest;
import dev.sextant.protocol.retention.v1.GetOldestResponse;
import dev.sextant.protocol.retention.v1.GetPolicyRequest;
import dev.sextant.protocol.retention.v1.ListPoliciesRequest;
import dev.sextant.protocol.retention.v1.ListPoliciesResponse;
import dev.sextant.protocol.retention.v1.ListRunsRequest;
import dev.sextant.protocol.retention.v1.ListRunsResponse;
import dev.sextant.protocol.retention.v1.Oldest;
import dev.sextant.protocol.retention.v1.Policy;
import dev.sextant.protocol.retention.v1.PolicySpec;
import dev.sextant.protocol.retention.v1.RetentionService;
import dev.sextant.protocol.retention.v1.Run;
import dev.sextant.protocol.retention.v1.RunNowRequest;
import dev.sextant.protocol.retention.v1.RunNowResponse;
import dev.sextant.protocol.retention.v1.RunStatus;
import dev.sextant.protocol.retention.v1.Selector;
import dev.sextant.protocol.retention.v1.Task;
import dev.sextant.protocol.retention.v1.UpdatePolicyRequest;
import dev.sextant.service.errors.Failures;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionTask;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/** The gRPC admin API (scope {@code admin}); the same operations as {@link RetentionResource}. */
@GrpcService
class RetentionGrpcService implements RetentionService {
  private final RetentionAdmin admin;
  private final Authorities authorities;
  private final Clock clock;

  @Inject
  RetentionGrpcService(RetentionAdmin admin, Authorities authorities, Clock clock) {
    this.admin = admin;
    this.authorities = authorities;
    this.clock = clock;
  }

  /** Runs a blocking operation and maps its failure to a gRPC status. */
  private static <T> Uni<T> call(Supplier<T> operation) {
    return Uni.createFrom().item(operation).onFailure().transform(RetentionGrpcService::status);
  }

  static Throwable status(Throwable failure) {
    if (failure instanceof ApiProblem problem) {
      Status status =
          switch (problem.kind()) {
            case BAD_DATA -> Status.INVALID_ARGUMENT;
            case FORBIDDEN -> Status.PERMISSION_DENIED;
            case NOT_FOUND -> Status.NOT_FOUND;
            case CONFLICT -> Status.FAILED_PRECONDITION;
          };
      return status.withDescription(problem.getMessage()).asRuntimeException();
    }
    return Failures.grpc(failure);
  }

  @Override
  @Blocking
  public Uni<ListPoliciesResponse> listPolicies(ListPoliciesRequest request) {
    Authority who = authorities.grpc();
    return call(
        () ->
            ListPoliciesResponse.newBuilder()
                .addAllPolicies(admin.policies().visible(who).stream().map(this::policy).toList())
                .build());
  }

  @Override
  @Blocking
  public Uni<Policy> getPolicy(GetPolicyRequest request) {
    Authority who = authorities.grpc();
    return call(() -> policy(admin.policies().get(who, request.getId())));
  }

  @Override
  @Blocking
  public Uni<Policy> createPolicy(CreatePolicyRequest request) {
    Authority who = authorities.grpc();
    return call(() -> policy(admin.policies().create(who, spec(request.getSpec()))));
  }

  @Override
  @Blocking
  public Uni<Policy> updatePolicy(UpdatePolicyRequest request) {
    Authority who = authorities.grpc();
    return call(
        () ->
            policy(
                admin
                    .policies()
                    .update(who, request.getId(), request.getVersion(), spec(request.getSpec()))));
  }

  @Override
  @Blocking
  public Uni<DeletePolicyResponse> deletePolicy(DeletePolicyRequest request) {
    Authority who = authorities.grpc();
    return call(
        () -> {
          admin.policies().delete(who, request.getId(), request.getVersion());
          return DeletePolicyResponse.getDefaultInstance();
        });
  }

  @Override
  @Blocking
  public Uni<DryRunResponse> dryRun(DryRunRequest request) {
    Authority who = authorities.grpc();
    return call(
        () -> {
          long now = UnixNanos.of(clock.instant());
          DryRunResponse.Builder response = DryRunResponse.newBuilder().setAtUnixNano(now);
          for (DryRun.Task t : admin.dryRun(who, request.getPolicyId())) {
            DryRunTask.Builder task =
                DryRunTask.newBuilder()
                    .setPolicyId(t.policyId())
                    .setTenant(t.tenant())
                    .setSignal(t.signal().jsonName())
                    .setKind(t.kind().tag())
                    .setCutoffUnixNano(t.cutoffUnixNanos())
                    .setRows(t.rows())
                    .setBytes(t.bytes())
                    .setNote(t.note());
            for (Bucket day : t.days()) {
              task.addDays(
                  DayCount.newBuilder()
                      .setDayUnixNano(day.startUnixNanos())
                      .setRows(day.rows())
                      .setBytes(day.bytes()));
            }
            response.addTasks(task);
          }
          return response.build();
        });
  }

  @Override
  public Uni<RunNowResponse> runNow(RunNowRequest request) {
    Authority who = authorities.grpc();
    return Uni.createFrom()
        .deferred(() -> admin.runNow(who, request.getPolicyId()))
        .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
        .map(
            outcomes ->
                RunNowResponse.newBuilder()
                    .addAllRuns(
                        outcomes.stream()
                            .filter(o -> o.run() != null)
                            .map(o -> run(o.run()))
                            .toList())
                    .build())
        .onFailure()
        .transform(RetentionGrpcService::status);
  }

  @Override
  @Blocking
  public Uni<ListRunsResponse> listRuns(ListRunsRequest request) {
    Authority who = authorities.grpc();
    // uint32: a limit above 2^31 arrives negative; 0 means the default.
    int limit =
        request.getLimit() == 0
            ? 100
            : request.getLimit() < 0 ? RetentionAdmin.MAX_RUNS : request.getLimit();
    return call(
        () ->
            ListRunsResponse.newBuilder()
                .addAllRuns(
                    admin
                        .runs(
                            who,
                            Math.min(limit, RetentionAdmin.MAX_RUNS),
                            request.getPolicyId().isEmpty() ? null : request.getPolicyId())
                        .stream()
                        .map(RetentionGrpcService::run)
                        .toList())
                .build());
  }

  @Override
  @Blocking
  public Uni<GetOldestResponse> getOldest(GetOldestRequest request) {
    Authority who = authorities.grpc();
    return call(
        () ->
            GetOldestResponse.newBuilder()
                .addAllOldest(
                    admin.oldest(who).stream()
                        .map(
                            o ->
                                Oldest.newBuilder()
                                    .setTenant(o.tenant())
                                    .setSignal(o.signal().jsonName())
                                    .setUnixNano(o.unixNanos())
                                    .build())
                        .toList())
                .build());
  }

  private static PolicySpec spec(RetentionPolicy p) {
    RetentionSelector s = p.selector();
    return PolicySpec.newBuilder()
        .setTenant(p.tenant())
        .setSignal(p.signal().jsonName())
        .setSelector(
            Selector.newBuilder()
                .setService(orEmpty(s.service()))
                .setEnvironment(orEmpty(s.environment()))
                .setEntityType(orEmpty(s.entityType()))
                .setEntityName(orEmpty(s.entityName())))
        .setMaxAgeSeconds(p.maxAge().toSeconds())
        .setMaxBytes(p.maxBytes())
        .setSchedule(p.schedule())
        .setEnabled(p.enabled())
        .build();
  }

  private static dev.sextant.retention.PolicySpec spec(PolicySpec spec) {
    Selector s = spec.getSelector();
    return new dev.sextant.retention.PolicySpec(
        spec.getTenant(),
        RetentionSignal.ofJsonName(spec.getSignal()).orElse(null),
        new RetentionSelector(
            s.getService(), s.getEnvironment(), s.getEntityType(), s.getEntityName()),
        spec.getMaxAgeSeconds() <= 0 ? null : Duration.ofSeconds(spec.getMaxAgeSeconds()),
        spec.getMaxBytes(),
        spec.getSchedule(),
        spec.getEnabled());
  }

  private Policy policy(RetentionPolicy p) {
    return Policy.newBuilder()
        .setId(p.id())
        .setSpec(spec(p))
        .setVersion(p.version())
        .setUpdatedUnixNano(p.updatedUnixNanos())
        .setNextRunUnixNano(admin.nextRun(p).map(UnixNanos::of).orElse(0L))
        .setDefaultPolicy(DefaultPolicies.isDefault(p.id()))
        .build();
  }

  static Run run(RetentionRun run) {
    Run.Builder out =
        Run.newBuilder()
            .setId(run.id())
            .setPolicyId(run.policyId())
            .setTrigger(run.trigger())
            .setStatus(
                switch (run.status()) {
                  case RUNNING -> RunStatus.RUN_STATUS_RUNNING;
                  case SUCCEEDED -> RunStatus.RUN_STATUS_SUCCEEDED;
                  case FAILED -> RunStatus.RUN_STATUS_FAILED;
                  case INTERRUPTED -> RunStatus.RUN_STATUS_INTERRUPTED;
                })
            .setOwner(run.owner())
            .setStartedUnixNano(run.startedUnixNanos())
            .setFinishedUnixNano(run.finishedUnixNanos())
            .setPlanUnixNano(run.planUnixNanos())
            .setRowsDeleted(run.tasks().stream().mapToLong(RetentionTask::rows).sum())
            .setBytesDeleted(run.tasks().stream().mapToLong(RetentionTask::bytes).sum())
            .setError(run.error());
    for (RetentionTask t : run.tasks()) {
      out.addTasks(
          Task.newBuilder()
              .setTenant(t.tenant())
              .setSignal(t.signal().jsonName())
              .setKind(t.kind().tag())
              .setState(t.state().tag())
              .setCutoffUnixNano(t.cutoffUnixNanos())
              .setRows(t.rows())
              .setBytes(t.bytes())
              .setNote(t.note()));
    }
    return out.build();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
