package dev.sextant.retention;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The REST admin API (scope {@code admin}, checked by the auth filter before any route). The policy
 * and the runs are global: retention deletes expired rows of every tenant.
 */
@Path("/api/v1/retention")
@Produces(MediaType.APPLICATION_JSON)
public class RetentionResource {
  /** The most runs one listing may ask for; the history keeps fewer anyway. */
  static final int MAX_LIMIT = 10_000;

  @Inject RetentionRunner runner;
  @Inject RetentionSchedule schedule;
  @Inject RetentionConfig config;

  @GET
  @Path("/policy")
  public RetentionJson.Policy policy() {
    return RetentionJson.policy(config, runner.policy(), schedule.nextRun());
  }

  /** Runs retention now and answers with the finished run; 409 with the running one if busy. */
  @POST
  @Path("/runs")
  public Uni<Response> runNow() {
    return switch (runner.trigger(RunTrigger.MANUAL)) {
      case RetentionRunner.Started started ->
          started.finished().map(run -> Response.ok(RetentionJson.run(run)).build());
      case RetentionRunner.AlreadyRunning busy ->
          Uni.createFrom()
              .item(
                  Response.status(Response.Status.CONFLICT)
                      .entity(
                          new RetentionJson.Conflict(
                              "error",
                              "conflict",
                              "retention run "
                                  + busy.running().id()
                                  + " is in progress; no new run was started",
                              RetentionJson.run(busy.running())))
                      .build());
    };
  }

  /** Recent runs, newest first; {@code limit} 1 to 10000, absent or empty: all that are kept. */
  @GET
  @Path("/runs")
  public Response runs(@QueryParam("limit") String limit) {
    int max;
    try {
      max = limit == null || limit.isBlank() ? MAX_LIMIT : Integer.parseInt(limit.strip());
    } catch (NumberFormatException e) {
      max = -1;
    }
    if (max < 1 || max > MAX_LIMIT) {
      return Response.status(Response.Status.BAD_REQUEST)
          .entity(
              RetentionJson.Error.of(
                  "bad_data", "limit must be an integer from 1 to " + MAX_LIMIT + ": " + limit))
          .build();
    }
    return Response.ok(
            new RetentionJson.Runs(runner.runs(max).stream().map(RetentionJson::run).toList()))
        .build();
  }
}
