package dev.sextant.storage.query;

import dev.sextant.model.Attributes;
import dev.sextant.model.MastraAttributes;
import dev.sextant.model.Span;
import dev.sextant.model.StatusCode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Root span search, for lists of traces: root spans (no parent) started within {@code range} that
 * meet every criterion, newest first (start time, then trace id, then span id), strictly after
 * {@code after} when one is given (keyset paging). Null or empty criteria are not applied.
 *
 * @param attributes span attribute equals value (text form, see {@code Attributes.filterText})
 * @param serviceName the span's service name
 * @param status {@code error} (status ERROR), {@code running} (not ended yet) or {@code success}
 *     (neither)
 * @param tags all of them in the span's {@code mastra.tags}
 * @param oldestFirst the opposite order
 */
public record RootQuery(
    String tenant,
    TimeRange range,
    Map<String, String> attributes,
    String serviceName,
    String status,
    List<String> tags,
    Cursor after,
    boolean oldestFirst,
    int limit) {

  public static final int MAX_LIMIT = 1000;

  /** Where a page ended: the last root's start time, trace id and span id. */
  public record Cursor(long startTimeUnixNanos, String traceId, String spanId) {}

  public RootQuery {
    range = range == null ? TimeRange.ALL : range;
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    tags = tags == null ? List.of() : List.copyOf(tags);
    if (status != null && !List.of("error", "running", "success").contains(status)) {
      throw new IllegalArgumentException("status must be error, running or success: " + status);
    }
    if (limit <= 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT);
    }
  }

  /** Oldest first: start time, then trace id, then span id; newest first is its reverse. */
  public static final Comparator<Span> OLDEST_FIRST =
      Comparator.comparingLong(Span::startTimeUnixNanos)
          .thenComparing(Span::traceId)
          .thenComparing(Span::spanId);

  /** The order this query lists roots in. */
  public Comparator<Span> order() {
    return oldestFirst ? OLDEST_FIRST : OLDEST_FIRST.reversed();
  }

  /** The reference semantics of the query for one span; backends may push parts down. */
  public boolean matches(Span span) {
    if (!span.tenant().equals(tenant)
        || !span.isRoot()
        || !range.contains(span.startTimeUnixNanos())) {
      return false;
    }
    if (serviceName != null && !serviceName.equals(span.serviceName())) {
      return false;
    }
    for (Map.Entry<String, String> wanted : attributes.entrySet()) {
      if (!wanted
          .getValue()
          .equals(Attributes.filterText(span.attributes().get(wanted.getKey())))) {
        return false;
      }
    }
    if (status != null && !status.equals(status(span))) {
      return false;
    }
    if (!MastraAttributes.tags(span.attributes()).containsAll(tags)) {
      return false;
    }
    return after == null || isAfterCursor(span);
  }

  /** {@code error}, {@code running} or {@code success}, as Mastra derives a trace's status. */
  public static String status(Span span) {
    if (span.statusCode() == StatusCode.ERROR) {
      return "error";
    }
    return MastraAttributes.isRunning(span.attributes()) ? "running" : "success";
  }

  private boolean isAfterCursor(Span span) {
    int order = Long.compare(span.startTimeUnixNanos(), after.startTimeUnixNanos());
    if (order == 0) {
      order = span.traceId().compareTo(after.traceId());
    }
    if (order == 0) {
      order = span.spanId().compareTo(after.spanId());
    }
    return oldestFirst ? order > 0 : order < 0;
  }
}
