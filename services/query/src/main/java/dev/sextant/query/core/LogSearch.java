package dev.sextant.query.core;

import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.TimeRange;
import java.util.Map;

/** A validated log search, whichever API it came from; null criteria are not applied. */
public record LogSearch(
    TimeRange range,
    Integer minSeverityNumber,
    String traceId,
    String serviceName,
    Map<String, String> attributes,
    String bodyContains,
    int limit) {

  public LogSearch {
    attributes = Map.copyOf(attributes);
  }

  public LogQuery toQuery(String tenant) {
    return new LogQuery(
        tenant, range, minSeverityNumber, traceId, serviceName, attributes, bodyContains, limit);
  }
}
