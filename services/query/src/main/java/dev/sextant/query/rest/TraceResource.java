package dev.sextant.query.rest;

import dev.sextant.query.core.Endpoints;
import dev.sextant.query.core.QueryFacade;
import dev.sextant.query.core.RequestMeter;
import dev.sextant.query.core.TraceShapes;
import dev.sextant.query.rest.json.Envelopes;
import dev.sextant.query.rest.json.JsonMapper;
import dev.sextant.query.rest.json.TraceJson;
import dev.sextant.query.rest.json.TraceSpecJson;
import dev.sextant.service.auth.Principals;
import dev.sextant.tracespec.RecordOptions;
import dev.sextant.tracespec.SpecFormat;
import dev.sextant.tracespec.SpecWriter;
import dev.sextant.tracespec.TraceSpec;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Traces: one trace as a span tree, and trace search. */
@Path("/api/v1/traces")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "traces")
@APIResponse(responseCode = "400", ref = "BadData")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "Overloaded")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class TraceResource {
  @Inject QueryFacade facade;
  @Inject RestRequests requests;
  @Inject RequestMeter meter;
  @Inject TraceShapes shapes;

  @GET
  @Path("/{traceId}")
  @Operation(
      summary = "One trace as a span tree",
      description =
          "Top level: the roots and the orphans (spans whose parent is not stored), each with its"
              + " children sorted by start time. 404 when no span of the trace is stored.")
  @APIResponseSchema(value = TraceJson.class, responseDescription = "the trace")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Uni<TraceJson> trace(
      @PathParam("traceId") @Parameter(description = "32 hex characters") String traceId,
      @Context RoutingContext rc) {
    return meter.read(
        RequestMeter.Api.REST,
        Endpoints.GET_TRACE,
        Principals.of(rc),
        tenant -> {
          String id = requests.traceId(traceId, rc);
          return facade.trace(tenant, id).map(forest -> JsonMapper.trace(id, forest));
        });
  }

  @POST
  @Path("/{traceId}/check")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Check a trace against a TraceSpec",
      description =
          "The body is a TraceSpec in YAML, or JSON with a JSON content type (libs/tracespec"
              + " README): span matchers, and metric and log expectations, checked against the"
              + " trace's spans, its logs and the named metric series around its time. 200 with"
              + " matched true or false, the problems and the side-by-side report; 400 for a"
              + " malformed or too expensive spec, with the place and the reason.")
  @APIResponseSchema(value = TraceSpecJson.Check.class, responseDescription = "the verdict")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Uni<TraceSpecJson.Check> check(
      @PathParam("traceId") @Parameter(description = "32 hex characters") String traceId,
      @HeaderParam("Content-Type") String contentType,
      String body,
      @Context RoutingContext rc) {
    return meter.read(
        RequestMeter.Api.REST,
        Endpoints.CHECK_TRACE,
        Principals.of(rc),
        tenant -> {
          String id = requests.traceId(traceId, rc);
          TraceSpec spec = TraceShapes.parse(body, SpecFormat.ofMediaType(contentType));
          return shapes.check(tenant, id, spec).map(r -> TraceSpecJson.Check.of(id, r));
        });
  }

  @GET
  @Path("/{traceId}/spec")
  @Produces({"application/yaml", MediaType.APPLICATION_JSON})
  @Operation(
      summary = "Record a trace as a TraceSpec",
      description =
          "A spec the trace matches: ids and times normalised, volatile attributes dropped."
              + " format=yaml (default) or json; generalise=true writes count \"1..\" for"
              + " repeated siblings; logs=true records the trace's logs as log expectations.")
  @Parameter(name = "format", in = ParameterIn.QUERY, description = "yaml (default) or json")
  @Parameter(name = "generalise", in = ParameterIn.QUERY, description = "true or false")
  @Parameter(name = "logs", in = ParameterIn.QUERY, description = "true or false")
  @APIResponse(responseCode = "200", description = "the spec")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Uni<Response> spec(
      @PathParam("traceId") @Parameter(description = "32 hex characters") String traceId,
      @Context RoutingContext rc) {
    return meter.read(
        RequestMeter.Api.REST,
        Endpoints.RECORD_SPEC,
        Principals.of(rc),
        tenant -> {
          RestRequests.SpecRequest req = requests.specRequest(traceId, rc);
          RecordOptions options =
              RecordOptions.defaults().withGeneraliseCounts(req.generaliseCounts());
          return shapes
              .record(tenant, req.traceId(), options, req.withLogs())
              .map(
                  spec ->
                      Response.ok(SpecWriter.write(spec, req.format()))
                          .type(
                              req.format() == SpecFormat.JSON
                                  ? MediaType.APPLICATION_JSON
                                  : "application/yaml")
                          .build());
        });
  }

  @GET
  @Path("/diff")
  @Operation(
      summary = "Diff two traces structurally",
      description =
          "Siblings paired by name; kind, status, attribute and duration differences; spans"
              + " only in a or only in b.")
  @Parameter(name = "a", in = ParameterIn.QUERY, description = "trace id", required = true)
  @Parameter(name = "b", in = ParameterIn.QUERY, description = "trace id", required = true)
  @APIResponseSchema(value = TraceSpecJson.Diff.class, responseDescription = "the differences")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Uni<TraceSpecJson.Diff> diff(@Context RoutingContext rc) {
    return meter.read(
        RequestMeter.Api.REST,
        Endpoints.DIFF_TRACES,
        Principals.of(rc),
        tenant -> {
          RestRequests.DiffRequest req = requests.diff(rc);
          return shapes
              .diff(tenant, req.a(), req.b())
              .map(d -> TraceSpecJson.Diff.of(req.a(), req.b(), d));
        });
  }

  @GET
  @Operation(
      summary = "Search traces",
      description =
          "Traces with at least one span, started in [start, end], that meets every criterion;"
              + " newest first.")
  @Parameter(name = "service", in = ParameterIn.QUERY, description = "service.name of the span")
  @Parameter(name = "name", in = ParameterIn.QUERY, description = "span name")
  @Parameter(name = "status", in = ParameterIn.QUERY, description = "unset, ok or error")
  @Parameter(
      name = "minDuration",
      in = ParameterIn.QUERY,
      description = "Go duration: 250ms, 1.5s, 2m, 100us, 10ns")
  @Parameter(name = "maxDuration", in = ParameterIn.QUERY, description = "Go duration")
  @Parameter(ref = "start", name = "start", in = ParameterIn.QUERY)
  @Parameter(ref = "end", name = "end", in = ParameterIn.QUERY)
  @Parameter(
      name = "attr",
      in = ParameterIn.QUERY,
      description = "key=value, repeatable: span (else resource) attribute equals value")
  @Parameter(name = "limit", in = ParameterIn.QUERY, description = "1..1000, default 20")
  @APIResponseSchema(value = Envelopes.Traces.class, responseDescription = "the traces found")
  public Uni<Envelopes.Traces> search(@Context RoutingContext rc) {
    return meter.read(
        RequestMeter.Api.REST,
        Endpoints.SEARCH_TRACES,
        Principals.of(rc),
        tenant ->
            facade
                .searchTraces(tenant, requests.traceSearch(rc))
                .map(
                    found ->
                        new Envelopes.Traces(found.stream().map(JsonMapper::summary).toList())));
  }
}
