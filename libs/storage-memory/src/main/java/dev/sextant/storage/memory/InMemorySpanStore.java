package dev.sextant.storage.memory;

import dev.sextant.model.MastraAttributes;
import dev.sextant.model.Span;
import dev.sextant.model.StatusCode;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

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

  // ------------------------------------------------------------------ retention

  synchronized List<String> tenants() {
    return byTenant.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty())
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  private static Rows<Span> rows(RowSet set) {
    return new Rows<>(set::matches, Span::startTimeUnixNanos, Sizes::of);
  }

  private List<Span> spansOf(String tenant) {
    List<Span> all = new ArrayList<>();
    byTenant.getOrDefault(tenant, Map.of()).values().forEach(trace -> all.addAll(trace.values()));
    return all;
  }

  synchronized Deleted deleteBefore(RowSet set, long cutoffUnixNanos, int maxRows) {
    Rows<Span> rows = rows(set);
    List<Span> old = rows.before(spansOf(set.tenant()), cutoffUnixNanos);
    Map<String, Map<String, Span>> traces = byTenant.getOrDefault(set.tenant(), Map.of());
    long bytes = 0;
    int deleted = 0;
    for (Span span : old.subList(0, Math.min(maxRows, old.size()))) {
      Map<String, Span> trace = traces.get(span.traceId());
      trace.remove(span.spanId());
      if (trace.isEmpty()) {
        traces.remove(span.traceId());
      }
      bytes += rows.size(span);
      deleted++;
    }
    return new Deleted(deleted, bytes, deleted < old.size(), cutoffUnixNanos);
  }

  synchronized List<Bucket> histogram(RowSet set, long beforeUnixNanos, long bucketNanos) {
    return rows(set).histogram(spansOf(set.tenant()), beforeUnixNanos, bucketNanos);
  }

  synchronized OptionalLong oldest(RowSet set) {
    return rows(set).oldest(spansOf(set.tenant()));
  }

  synchronized long bytes() {
    long bytes = 0;
    for (String tenant : byTenant.keySet()) {
      bytes += rows(RowSet.all(RetentionSignal.SPANS, tenant)).bytes(spansOf(tenant));
    }
    return bytes;
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
