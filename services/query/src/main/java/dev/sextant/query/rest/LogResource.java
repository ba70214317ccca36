package dev.sextant.query.rest;

import dev.sextant.query.core.Endpoints;
import dev.sextant.query.core.QueryFacade;
import dev.sextant.query.core.RequestMeter;
import dev.sextant.query.rest.json.Envelopes;
import dev.sextant.query.rest.json.JsonMapper;
import dev.sextant.service.auth.Principals;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Log search. */
@Path("/api/v1/logs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "logs")
@APIResponse(responseCode = "400", ref = "BadData")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "Overloaded")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class LogResource {
  @Inject QueryFacade facade;
  @Inject RestRequests requests;
  @Inject RequestMeter meter;

  @GET
  @Operation(
      summary = "Search logs",
      description = "Log records in [start, end] meeting every criterion, newest first.")
  @Parameter(ref = "start", name = "start", in = ParameterIn.QUERY)
  @Parameter(ref = "end", name = "end", in = ParameterIn.QUERY)
  @Parameter(
      name = "severity",
      in = ParameterIn.QUERY,
      description = "minimum: 1-24 or trace, debug, info, warn, error, fatal")
  @Parameter(name = "traceId", in = ParameterIn.QUERY, description = "32 hex characters")
  @Parameter(name = "service", in = ParameterIn.QUERY, description = "service.name")
  @Parameter(
      name = "attr",
      in = ParameterIn.QUERY,
      description = "key=value, repeatable: record (else resource) attribute equals value")
  @Parameter(name = "contains", in = ParameterIn.QUERY, description = "substring of the body")
  @Parameter(name = "limit", in = ParameterIn.QUERY, description = "1..10000, default 100")
  @APIResponseSchema(value = Envelopes.Logs.class, responseDescription = "the records found")
  public Uni<Envelopes.Logs> search(@Context RoutingContext rc) {
    return meter.read(
        RequestMeter.Api.REST,
        Endpoints.SEARCH_LOGS,
        Principals.of(rc),
        tenant ->
            facade
                .searchLogs(tenant, requests.logSearch(rc))
                .map(found -> new Envelopes.Logs(found.stream().map(JsonMapper::log).toList())));
  }
}
