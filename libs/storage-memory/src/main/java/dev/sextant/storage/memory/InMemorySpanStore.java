package dev.sextant.storage.memory;

import dev.sextant.model.MastraAttributes;
import dev.sextant.model.Span;
import dev.sextant.model.StatusCode;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Spans per tenant, per trace, per span id; one lock for the lot. */
final class InMemorySpanStore implements SpanStore {

  private static final Comparator<Span> BY_START =
      Comparator.comparingLong(Span::startTimeUnixNanos).thenComparing(Span::spanId);

  private final Lifecycle lifecycle;
  private final Map<String, Map<String, Map<String, Span>>> byTenant = new HashMap<>();

  InMemorySpanStore(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public Uni<Void> write(List<Span> spans) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            for (Span span : spans) {
              byTenant
                  .computeIfAbsent(span.tenant(), t -> new HashMap<>())
                  .computeIfAbsent(span.traceId(), t -> new LinkedHashMap<>())
                  .merge(span.spanId(), span, InMemorySpanStore::newer);
            }
          }
          return null;
        });
  }

  @Override
  public Uni<List<Span>> trace(String tenant, String traceId) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            Map<String, Span> trace = byTenant.getOrDefault(tenant, Map.of()).get(traceId);
            return trace == null ? List.of() : sorted(trace.values());
          }
        });
  }

  @Override
  public Uni<List<TraceSummary>> search(TraceQuery query) {
    return lifecycle.run(
        () -> {
          List<TraceSummary> found = new ArrayList<>();
          synchronized (this) {
            for (Map<String, Span> trace :
                byTenant.getOrDefault(query.tenant(), Map.of()).values()) {
              if (trace.values().stream().anyMatch(span -> SpanMatcher.matches(query, span))) {
                found.add(summarize(sorted(trace.values())));
              }
            }
          }
          found.sort(
              Comparator.comparingLong(TraceSummary::startTimeUnixNanos)
                  .reversed()
                  .thenComparing(TraceSummary::traceId));
          return List.copyOf(found.subList(0, Math.min(query.limit(), found.size())));
        });
  }

  /**
   * The SPI's rewrite rule: the newer write wins, unless it is running and the stored one ended.
   */
  private static Span newer(Span stored, Span written) {
    return MastraAttributes.isRunning(written.attributes())
            && !MastraAttributes.isRunning(stored.attributes())
        ? stored
        : written;
  }

  @Override
  public Uni<List<Span>> roots(RootQuery query) {
    return lifecycle.run(
        () -> {
          List<Span> found = new ArrayList<>();
          synchronized (this) {
            for (Map<String, Span> trace :
                byTenant.getOrDefault(query.tenant(), Map.of()).values()) {
              for (Span span : trace.values()) {
                if (query.matches(span)) {
                  found.add(span);
                }
              }
            }
          }
          found.sort(query.order());
          return List.copyOf(found.subList(0, Math.min(query.limit(), found.size())));
        });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return lifecycle.run(
        () -> {
          long deleted = 0;
          synchronized (this) {
            for (Map<String, Map<String, Span>> traces : byTenant.values()) {
              Iterator<Map<String, Span>> eachTrace = traces.values().iterator();
              while (eachTrace.hasNext()) {
                Map<String, Span> trace = eachTrace.next();
                Iterator<Span> eachSpan = trace.values().iterator();
                while (eachSpan.hasNext()) {
                  if (eachSpan.next().startTimeUnixNanos() < cutoffUnixNanos) {
                    eachSpan.remove();
                    deleted++;
                  }
                }
                if (trace.isEmpty()) {
                  eachTrace.remove();
                }
              }
            }
          }
          return deleted;
        });
  }

  synchronized void clear() {
    byTenant.clear();
  }

  private static List<Span> sorted(Iterable<Span> spans) {
    List<Span> list = new ArrayList<>();
    spans.forEach(list::add);
    list.sort(BY_START);
    return List.copyOf(list);
  }

  /** Summarises a trace whose spans are sorted by start time. */
  private static TraceSummary summarize(List<Span> trace) {
    long start = trace.getFirst().startTimeUnixNanos();
    long end = Long.MIN_VALUE;
    int errors = 0;
    Span root = null;
    for (Span span : trace) {
      end = Math.max(end, span.endTimeUnixNanos());
      if (span.statusCode() == StatusCode.ERROR) {
        errors++;
      }
      if (root == null && span.isRoot()) {
        root = span;
      }
    }
    return new TraceSummary(
        trace.getFirst().traceId(),
        root == null ? "" : root.serviceName(),
        root == null ? "" : root.name(),
        start,
        end - start,
        trace.size(),
        errors);
  }
}
