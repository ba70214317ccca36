package dev.sextant.query.core;

import dev.sextant.model.StatusCode;
import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import java.util.Map;

/** A validated trace search, whichever API it came from; null criteria are not applied. */
public record TraceSearch(
    TimeRange range,
    String serviceName,
    String spanName,
    StatusCode status,
    Long minDurationNanos,
    Long maxDurationNanos,
    Map<String, String> attributes,
    int limit) {

  public TraceSearch {
    attributes = Map.copyOf(attributes);
    if (minDurationNanos != null
        && maxDurationNanos != null
        && minDurationNanos > maxDurationNanos) {
      throw RejectedRequestException.badInput(
          "minDuration ("
              + minDurationNanos
              + " ns) is greater than maxDuration ("
              + maxDurationNanos
              + " ns)");
    }
  }

  public TraceQuery toQuery(String tenant) {
    return new TraceQuery(
        tenant,
        range,
        serviceName,
        spanName,
        status,
        minDurationNanos,
        maxDurationNanos,
        attributes,
        limit);
  }
}
