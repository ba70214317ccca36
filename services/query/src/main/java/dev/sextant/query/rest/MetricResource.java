package dev.sextant.query.rest;

import dev.sextant.query.core.Cardinality;
import dev.sextant.query.core.Endpoints;
import dev.sextant.query.core.QueryFacade;
import dev.sextant.query.core.RequestMeter;
import dev.sextant.query.metrics.MetricAnswers;
import dev.sextant.query.metrics.MetricQueries;
import dev.sextant.query.metrics.MetricQuery;
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

/** Metric names, series and raw points (PromQL and the Prometheus API come separately). */
@Path("/api/v1/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics")
@APIResponse(responseCode = "400", ref = "BadData")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "Overloaded")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class MetricResource {
  @Inject QueryFacade facade;
  @Inject RestRequests requests;
  @Inject RequestMeter meter;
  @Inject MetricQueries queries;

  @GET
  @Path("/names")
  @Operation(summary = "Names of the metrics with points in [start, end], sorted")
  @Parameter(ref = "start", name = "start", in = ParameterIn.QUERY)
  @Parameter(ref = "end", name = "end", in = ParameterIn.QUERY)
  @APIResponseSchema(value = Envelopes.Names.class, responseDescription = "the metric names")
  public Uni<Envelopes.Names> names(@Context RoutingContext rc) {
    return meter.read(
        RequestMeter.Api.REST,
        Endpoints.METRIC_NAMES,
        Principals.of(rc),
        tenant -> facade.metricNames(tenant, requests.range(rc)).map(Envelopes.Names::new));
  }

  @GET
  @Path("/series")
  @Operation(summary = "Series matching a PromQL selector, with points in [start, end]")
  @Parameter(
      name = "match",
      in = ParameterIn.QUERY,
      required = true,
      description = "PromQL selector: name{label=\"v\", other!=\"x\", re=~\"a.*\", nre!~\"b\"}")
  @Parameter(ref = "start", name = "start", in = ParameterIn.QUERY)
  @Parameter(ref = "end", name = "end", in = ParameterIn.QUERY)
  @APIResponseSchema(value = Envelopes.Series.class, responseDescription = "the series found")
  public Uni<Envelopes.Series> series(@Context RoutingContext rc) {
    return meter.read(
        RequestMeter.Api.REST,
        Endpoints.FIND_SERIES,
        Principals.of(rc),
        tenant -> {
          RestRequests.SeriesRequest request = requests.series(rc);
          return facade
              .series(tenant, request.matchers(), request.range())
              .map(found -> new Envelopes.Series(found.stream().map(JsonMapper::series).toList()));
        });
  }

  @GET
  @Path("/points")
  @Operation(summary = "Points of one series in [start, end], oldest first")
  @Parameter(
      name = "series",
      in = ParameterIn.QUERY,
      required = true,
      description = "series id (unsigned decimal) from /api/v1/metrics/series")
  @Parameter(ref = "start", name = "start", in = ParameterIn.QUERY)
  @Parameter(ref = "end", name = "end", in = ParameterIn.QUERY)
  @APIResponseSchema(value = Envelopes.Points.class, responseDescription = "the points")
  public Uni<Envelopes.Points> points(@Context RoutingContext rc) {
    return meter.read(
        RequestMeter.Api.REST,
        Endpoints.READ_POINTS,
        Principals.of(rc),
        tenant -> {
          RestRequests.PointsRequest request = requests.points(rc);
          return facade
              .points(tenant, request.seriesId(), request.range())
              .map(found -> new Envelopes.Points(found.stream().map(JsonMapper::point).toList()));
        });
  }

  @GET
  @Path("/cardinality")
  @Operation(
      summary =
          "Which metrics and labels make the series with points in [start, end]: the metrics with"
              + " most series, the labels on most series, metrics over an active-series limit")
  @Parameter(ref = "start", name = "start", in = ParameterIn.QUERY)
  @Parameter(ref = "end", name = "end", in = ParameterIn.QUERY)
  @Parameter(
      name = "limit",
      in = ParameterIn.QUERY,
      description = "metrics and labels listed, 1..1000, default 10")
  @APIResponseSchema(value = Cardinality.class, responseDescription = "series by metric and label")
  public Uni<Cardinality> cardinality(@Context RoutingContext rc) {
    return meter.read(
        RequestMeter.Api.REST,
        Endpoints.CARDINALITY,
        Principals.of(rc),
        tenant -> {
          RestRequests.CardinalityRequest request = requests.cardinality(rc);
          return facade.cardinality(tenant, request.range(), request.limit());
        });
  }

  private <T> Uni<T> metricQuery(
      RoutingContext rc,
      String endpoint,
      java.util.function.BiFunction<MetricQuery, MetricQueries.Read, T> answer) {
    return meter.read(
        RequestMeter.Api.REST,
        endpoint,
        Principals.of(rc),
        tenant -> {
          MetricQuery query = requests.metricQuery(rc);
          return queries.read(tenant, query).map(read -> answer.apply(query, read));
        });
  }

  @GET
  @Path("/aggregate")
  @Operation(summary = "One number for a metric over [start, end], from its rollups")
  @APIResponseSchema(value = MetricAnswers.Aggregate.class, responseDescription = "the value")
  public Uni<MetricAnswers.Aggregate> aggregate(@Context RoutingContext rc) {
    return metricQuery(rc, Endpoints.METRIC_AGGREGATE, MetricAnswers::aggregate);
  }

  @GET
  @Path("/breakdown")
  @Operation(summary = "A metric's number per value of the groupBy labels, largest first")
  @APIResponseSchema(value = MetricAnswers.Breakdown.class, responseDescription = "the groups")
  public Uni<MetricAnswers.Breakdown> breakdown(@Context RoutingContext rc) {
    return metricQuery(rc, Endpoints.METRIC_BREAKDOWN, MetricAnswers::breakdown);
  }

  @GET
  @Path("/timeseries")
  @Operation(summary = "A metric's number per interval bucket (and per group)")
  @APIResponseSchema(value = MetricAnswers.TimeSeries.class, responseDescription = "the series")
  public Uni<MetricAnswers.TimeSeries> timeSeries(@Context RoutingContext rc) {
    return metricQuery(rc, Endpoints.METRIC_TIMESERIES, MetricAnswers::timeSeries);
  }

  @GET
  @Path("/percentiles")
  @Operation(summary = "Percentiles of a histogram metric per interval bucket (and per group)")
  @APIResponseSchema(value = MetricAnswers.Percentiles.class, responseDescription = "the series")
  public Uni<MetricAnswers.Percentiles> percentiles(@Context RoutingContext rc) {
    return metricQuery(rc, Endpoints.METRIC_PERCENTILES, MetricAnswers::percentiles);
  }
}
