package dev.sextant.query.core;

/** The fixed endpoint names the request metrics use, shared by REST and gRPC. */
public final class Endpoints {
  public static final String GET_TRACE = "get_trace";
  public static final String SEARCH_TRACES = "search_traces";
  public static final String CHECK_TRACE = "check_trace";
  public static final String RECORD_SPEC = "record_spec";
  public static final String DIFF_TRACES = "diff_traces";
  public static final String SEARCH_LOGS = "search_logs";
  public static final String METRIC_NAMES = "metric_names";
  public static final String FIND_SERIES = "find_series";
  public static final String READ_POINTS = "read_points";
  public static final String CARDINALITY = "cardinality";
  public static final String METRIC_AGGREGATE = "metric_aggregate";
  public static final String METRIC_BREAKDOWN = "metric_breakdown";
  public static final String METRIC_TIMESERIES = "metric_timeseries";
  public static final String METRIC_PERCENTILES = "metric_percentiles";

  private Endpoints() {}
}
