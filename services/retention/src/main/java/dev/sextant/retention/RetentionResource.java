package dev.sextant.retention;

import dev.sextant.storage.retention.RetentionPolicy;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * The REST admin API (scope {@code admin}, checked by the auth filter before any route; the
 * caller's tenant by {@link Authority}). Shapes in {@link RetentionJson}, errors in {@link
 * RetentionErrors}; services/retention/README.md documents both.
 */
@Path("/api/v1/retention")
@Produces(MediaType.APPLICATION_JSON)
public class RetentionResource {
  @Inject RetentionAdmin admin;
  @Inject Authorities authorities;
  @Inject Clock clock;

  private RetentionJson.Policy json(RetentionPolicy policy) {
    return RetentionJson.policy(policy, admin.nextRun(policy));
  }

  @GET
  @Path("/policies")
  @Blocking
  public RetentionJson.Policies policies(@Context RoutingContext rc) {
    return new RetentionJson.Policies(
        admin.policies().visible(authorities.of(rc)).stream().map(this::json).toList());
  }

  @GET
  @Path("/policies/{id}")
  @Blocking
  public RetentionJson.Policy policy(@Context RoutingContext rc, @PathParam("id") String id) {
    return json(admin.policies().get(authorities.of(rc), id));
  }

  @POST
  @Path("/policies")
  @Consumes(MediaType.APPLICATION_JSON)
  @Blocking
  public Response create(@Context RoutingContext rc, RetentionJson.PolicyInput input) {
    RetentionPolicy created = admin.policies().create(authorities.of(rc), required(input).toSpec());
    return Response.created(URI.create("/api/v1/retention/policies/" + created.id()))
        .entity(json(created))
        .build();
  }

  @PUT
  @Path("/policies/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Blocking
  public RetentionJson.Policy update(
      @Context RoutingContext rc, @PathParam("id") String id, RetentionJson.PolicyInput input) {
    if (required(input).version() == null) {
      throw ApiProblem.badData("version is required: the version of the policy you changed");
    }
    return json(admin.policies().update(authorities.of(rc), id, input.version(), input.toSpec()));
  }

  @DELETE
  @Path("/policies/{id}")
  @Blocking
  public Response delete(
      @Context RoutingContext rc,
      @PathParam("id") String id,
      @QueryParam("version") String version) {
    admin.policies().delete(authorities.of(rc), id, number(version, "version", 0));
    return Response.noContent().build();
  }

  @POST
  @Path("/dry-run")
  @Blocking
  public RetentionJson.DryRunResult dryRun(
      @Context RoutingContext rc, @QueryParam("policy") String policy) {
    long now = UnixNanos.of(clock.instant());
    return RetentionJson.dryRun(now, admin.dryRun(authorities.of(rc), policy));
  }

  /**
   * Runs the policy (or every one the caller may run) now and answers with the finished runs; 409
   * with the running run when a named policy's run is in progress.
   */
  @POST
  @Path("/runs")
  public Uni<Response> runNow(@Context RoutingContext rc, @QueryParam("policy") String policy) {
    Authority who = authorities.of(rc);
    return Uni.createFrom()
        .deferred(() -> admin.runNow(who, policy))
        .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
        .map(outcomes -> runsAnswer(policy, outcomes));
  }

  private static Response runsAnswer(String policy, List<RetentionAdmin.RunOutcome> outcomes) {
    if (policy != null && !policy.isBlank() && outcomes.size() == 1) {
      RetentionAdmin.RunOutcome outcome = outcomes.getFirst();
      switch (outcome.triggered()) {
        case RetentionRunner.Busy busy -> {
          return Response.status(Response.Status.CONFLICT)
              .entity(
                  new RetentionJson.Conflict(
                      "error",
                      "conflict",
                      "policy "
                          + policy
                          + " is running"
                          + (busy.holder().isEmpty() ? "" : " in " + busy.holder())
                          + "; no new run was started",
                      busy.running().map(RetentionJson::run).orElse(null)))
              .build();
        }
        case RetentionRunner.Skipped skipped -> {
          return Response.status(Response.Status.CONFLICT)
              .entity(RetentionJson.Error.of("conflict", skipped.reason()))
              .build();
        }
        case RetentionRunner.Started started -> {}
      }
    }
    return Response.ok(
            new RetentionJson.Runs(
                outcomes.stream()
                    .filter(o -> o.run() != null)
                    .map(o -> RetentionJson.run(o.run()))
                    .toList()))
        .build();
  }

  /** Recent runs, newest first; {@code limit} 1 to 10000 (default 100). */
  @GET
  @Path("/runs")
  @Blocking
  public RetentionJson.Runs runs(
      @Context RoutingContext rc,
      @QueryParam("limit") String limit,
      @QueryParam("policy") String policy) {
    int max = (int) number(limit, "limit", 100);
    return new RetentionJson.Runs(
        admin.runs(authorities.of(rc), max, policy).stream().map(RetentionJson::run).toList());
  }

  @GET
  @Path("/oldest")
  @Blocking
  public RetentionJson.OldestList oldest(@Context RoutingContext rc) {
    return new RetentionJson.OldestList(
        admin.oldest(authorities.of(rc)).stream()
            .map(
                o ->
                    new RetentionJson.Oldest(
                        o.tenant(),
                        o.signal().jsonName(),
                        RetentionJson.at(o.unixNanos()),
                        Long.toString(o.unixNanos())))
            .toList());
  }

  private static RetentionJson.PolicyInput required(RetentionJson.PolicyInput input) {
    if (input == null) {
      throw ApiProblem.badData("a JSON policy is required");
    }
    return input;
  }

  private static long number(String text, String name, long absent) {
    if (text == null || text.isBlank()) {
      return absent;
    }
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw ApiProblem.badData(name + " must be an integer: " + text);
    }
  }
}
