package dev.sextant.query.grpc;

import dev.sextant.protocol.query.v1.FindSeriesRequest;
import dev.sextant.protocol.query.v1.FindSeriesResponse;
import dev.sextant.protocol.query.v1.GetTraceRequest;
import dev.sextant.protocol.query.v1.GetTraceResponse;
import dev.sextant.protocol.query.v1.ListMetricNamesRequest;
import dev.sextant.protocol.query.v1.ListMetricNamesResponse;
import dev.sextant.protocol.query.v1.QueryMetricRequest;
import dev.sextant.protocol.query.v1.QueryMetricResponse;
import dev.sextant.protocol.query.v1.QueryService;
import dev.sextant.protocol.query.v1.ReadPointsRequest;
import dev.sextant.protocol.query.v1.ReadPointsResponse;
import dev.sextant.protocol.query.v1.SearchLogsRequest;
import dev.sextant.protocol.query.v1.SearchLogsResponse;
import dev.sextant.protocol.query.v1.SearchTracesRequest;
import dev.sextant.protocol.query.v1.SearchTracesResponse;
import dev.sextant.query.core.Endpoints;
import dev.sextant.query.core.Outcome;
import dev.sextant.query.core.QueryFacade;
import dev.sextant.query.core.RequestMeter;
import dev.sextant.query.core.SpanTree;
import dev.sextant.query.metrics.MetricQueries;
import dev.sextant.query.metrics.MetricQuery;
import dev.sextant.service.auth.Principals;
import dev.sextant.service.errors.Failures;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.function.Function;

/** The gRPC QueryService: a thin adapter over {@link QueryFacade}, like the REST resources. */
@GrpcService
public class GrpcQueryService implements QueryService {
  @Inject QueryFacade facade;
  @Inject GrpcRequests requests;
  @Inject RequestMeter meter;
  @Inject MetricQueries metricQueries;

  @Override
  public Uni<GetTraceResponse> getTrace(GetTraceRequest request) {
    return call(
        Endpoints.GET_TRACE,
        tenant -> {
          String id = requests.traceId(request.getTraceId());
          return facade
              .trace(tenant, id)
              .map(
                  forest ->
                      GetTraceResponse.newBuilder()
                          .addAllSpans(
                              SpanTree.flatten(forest).stream().map(ProtoMapper::span).toList())
                          .build());
        });
  }

  @Override
  public Uni<SearchTracesResponse> searchTraces(SearchTracesRequest request) {
    return call(
        Endpoints.SEARCH_TRACES,
        tenant ->
            facade
                .searchTraces(tenant, requests.traceSearch(request))
                .map(
                    found ->
                        SearchTracesResponse.newBuilder()
                            .addAllTraces(found.stream().map(ProtoMapper::summary).toList())
                            .build()));
  }

  @Override
  public Uni<SearchLogsResponse> searchLogs(SearchLogsRequest request) {
    return call(
        Endpoints.SEARCH_LOGS,
        tenant ->
            facade
                .searchLogs(tenant, requests.logSearch(request))
                .map(
                    found ->
                        SearchLogsResponse.newBuilder()
                            .addAllRecords(found.stream().map(ProtoMapper::log).toList())
                            .build()));
  }

  @Override
  public Uni<ListMetricNamesResponse> listMetricNames(ListMetricNamesRequest request) {
    return call(
        Endpoints.METRIC_NAMES,
        tenant ->
            facade
                .metricNames(tenant, requests.range(request.getRange()))
                .map(names -> ListMetricNamesResponse.newBuilder().addAllNames(names).build()));
  }

  @Override
  public Uni<FindSeriesResponse> findSeries(FindSeriesRequest request) {
    return call(
        Endpoints.FIND_SERIES,
        tenant ->
            facade
                .series(tenant, requests.matchers(request), requests.range(request.getRange()))
                .map(
                    found ->
                        FindSeriesResponse.newBuilder()
                            .addAllSeries(found.stream().map(ProtoMapper::series).toList())
                            .build()));
  }

  @Override
  public Uni<ReadPointsResponse> readPoints(ReadPointsRequest request) {
    return call(
        Endpoints.READ_POINTS,
        tenant ->
            facade
                .points(tenant, request.getSeriesId(), requests.range(request.getRange()))
                .map(
                    points ->
                        ReadPointsResponse.newBuilder()
                            .addAllPoints(points.stream().map(ProtoMapper::point).toList())
                            .build()));
  }

  @Override
  public Uni<QueryMetricResponse> queryMetric(QueryMetricRequest request) {
    String endpoint =
        switch (request.getKind()) {
          case KIND_AGGREGATE -> Endpoints.METRIC_AGGREGATE;
          case KIND_BREAKDOWN -> Endpoints.METRIC_BREAKDOWN;
          case KIND_TIMESERIES -> Endpoints.METRIC_TIMESERIES;
          case KIND_PERCENTILES -> Endpoints.METRIC_PERCENTILES;
          case KIND_UNSPECIFIED, UNRECOGNIZED -> Endpoints.METRIC_AGGREGATE;
        };
    return call(
        endpoint,
        tenant -> {
          MetricQuery query = requests.metricQuery(request);
          return metricQueries
              .read(tenant, query)
              .map(read -> MetricProtoMapper.answer(request.getKind(), query, read));
        });
  }

  /**
   * Runs one read for the caller's tenant, metered, with failures as gRPC statuses. The principal
   * is taken now, while the call's gRPC context is current.
   */
  private <T> Uni<T> call(String endpoint, Function<String, Uni<T>> read) {
    return meter
        .read(RequestMeter.Api.GRPC, endpoint, Principals.current(), read)
        .onFailure()
        .transform(GrpcQueryService::status);
  }

  private static StatusRuntimeException status(Throwable failure) {
    Outcome outcome = Outcome.of(failure);
    String message = outcome.clientMessage(failure);
    return switch (outcome) {
      case NOT_FOUND -> Status.NOT_FOUND.withDescription(message).asRuntimeException();
      case PERMISSION_DENIED ->
          Status.PERMISSION_DENIED.withDescription(message).asRuntimeException();
      case BAD_INPUT, OVERLOADED, UNAVAILABLE -> Failures.grpc(failure);
      // PromQL outcomes; the gRPC API runs no PromQL, but the switch stays exhaustive.
      case EXECUTION -> Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
      case TIMEOUT -> Status.DEADLINE_EXCEEDED.withDescription(message).asRuntimeException();
      case CANCELED -> Status.CANCELLED.withDescription(message).asRuntimeException();
      case INTERNAL, OK -> Status.INTERNAL.withDescription(message).asRuntimeException();
    };
  }
}
