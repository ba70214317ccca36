package dev.sextant.query;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the query service's REST and gRPC reads. */
@ConfigMapping(prefix = "sextant.query")
public interface QueryConfig {

  /** How far back a REST read looks when the request gives no {@code start}. */
  @WithDefault("1h")
  Duration defaultLookback();

  /** Traces a search returns when the request gives no limit (at most TraceQuery.MAX_LIMIT). */
  @WithDefault("20")
  int defaultTraceLimit();

  /** Log records a search returns when the request gives no limit (at most LogQuery.MAX_LIMIT). */
  @WithDefault("100")
  int defaultLogLimit();

  /**
   * The longest text parameter accepted, in characters (selectors, names, substrings, attribute
   * filters). Longer values are refused with a clear error instead of being sent to the store.
   */
  @WithDefault("2048")
  int maxParameterLength();

  /**
   * How deep a trace tree nests in a REST answer. Spans further down are listed at the top level
   * (with their parent id), so a runaway or hostile trace cannot exceed the JSON writer's nesting
   * limit.
   */
  @WithDefault("200")
  int maxTreeDepth();
}
