package dev.sextant.retention;

import dev.sextant.model.Feedback;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Score;
import dev.sextant.storage.Capabilities;
import dev.sextant.storage.CheckResult;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.PayloadStore;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.memory.InMemoryStorage;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.Lease;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionStore;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.retention.SignalSize;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A store (the in-memory one unless given another), with the deletes of retention under the test's
 * control: a tenant's next delete can be held at a gate (the run making it stalls there, as one
 * whose process froze would; later deletes pass) or every delete made to fail, and deletes are
 * counted per tenant. Everything else goes straight to the store.
 */
final class GatedStorage extends StorageComponent {
  private final StorageComponent store;
  private final Gated retention;
  private final Map<String, Gate> gates = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> deletes = new ConcurrentHashMap<>();
  private final Map<String, Function<RowSet, RuntimeException>> failures =
      new ConcurrentHashMap<>();

  /** One held delete: when it arrived, and when it may go on. */
  private static final class Gate {
    final AtomicBoolean used = new AtomicBoolean();
    final CompletableFuture<Void> arrived = new CompletableFuture<>();
    final CompletableFuture<Void> open = new CompletableFuture<>();
  }

  GatedStorage() {
    this(new InMemoryStorage());
  }

  /** Over a store of the test's, which it starts. */
  GatedStorage(StorageComponent store) {
    this.store = store;
    this.retention = new Gated(store.retention());
    store.start();
  }

  /** Holds the tenant's next delete until {@link #release}. */
  void hold(String tenant) {
    gates.put(tenant, new Gate());
  }

  void release(String tenant) {
    gates.get(tenant).open.complete(null);
  }

  /** Completes once the held delete arrived. */
  CompletableFuture<Void> arrival(String tenant) {
    return gates.get(tenant).arrived;
  }

  void failDeletes(String tenant, Function<RowSet, RuntimeException> failure) {
    failures.put(tenant, failure);
  }

  int deletesOf(String tenant) {
    AtomicInteger n = deletes.get(tenant);
    return n == null ? 0 : n.get();
  }

  @Override
  public void start() {}

  @Override
  public SpanStore spans() {
    return store.spans();
  }

  @Override
  public LogStore logs() {
    return store.logs();
  }

  @Override
  public MetricStore metrics() {
    return store.metrics();
  }

  @Override
  public RetentionStore retention() {
    return retention;
  }

  @Override
  public PayloadStore payloads() {
    return store.payloads();
  }

  @Override
  public EventStore<MetricEvent> metricEvents() {
    return store.metricEvents();
  }

  @Override
  public EventStore<Score> scores() {
    return store.scores();
  }

  @Override
  public EventStore<Feedback> feedback() {
    return store.feedback();
  }

  @Override
  public Capabilities capabilities() {
    return store.capabilities();
  }

  @Override
  public CheckResult check() {
    return store.check();
  }

  @Override
  public void close() {
    store.close();
  }

  private final class Gated implements RetentionStore {
    private final RetentionStore delegate;

    Gated(RetentionStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Uni<Deleted> deleteBefore(RowSet rows, long cutoffUnixNanos, int maxRows) {
      String tenant = rows.tenant();
      deletes.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
      Function<RowSet, RuntimeException> failure = failures.get(tenant);
      if (failure != null) {
        return Uni.createFrom().failure(failure.apply(rows));
      }
      Gate gate = gates.get(tenant);
      if (gate == null || !gate.used.compareAndSet(false, true)) {
        return delegate.deleteBefore(rows, cutoffUnixNanos, maxRows);
      }
      gate.arrived.complete(null);
      return Uni.createFrom()
          .completionStage(gate.open)
          .chain(() -> delegate.deleteBefore(rows, cutoffUnixNanos, maxRows));
    }

    @Override
    public boolean supported() {
      return delegate.supported();
    }

    @Override
    public Uni<List<RetentionPolicy>> policies() {
      return delegate.policies();
    }

    @Override
    public Uni<Boolean> savePolicy(RetentionPolicy policy) {
      return delegate.savePolicy(policy);
    }

    @Override
    public Uni<Boolean> deletePolicy(String id, long version) {
      return delegate.deletePolicy(id, version);
    }

    @Override
    public Uni<Void> saveRun(RetentionRun run) {
      return delegate.saveRun(run);
    }

    @Override
    public Uni<Void> saveTask(String runId, RetentionTask task) {
      return delegate.saveTask(runId, task);
    }

    @Override
    public Uni<List<RetentionRun>> runs(String policyId, int limit) {
      return delegate.runs(policyId, limit);
    }

    @Override
    public Uni<Integer> pruneRuns(int keep) {
      return delegate.pruneRuns(keep);
    }

    @Override
    public Uni<Optional<Lease>> acquireLease(
        String name, String owner, long nowUnixNanos, long ttlNanos) {
      return delegate.acquireLease(name, owner, nowUnixNanos, ttlNanos);
    }

    @Override
    public Uni<Boolean> renewLease(Lease lease, long nowUnixNanos, long ttlNanos) {
      return delegate.renewLease(lease, nowUnixNanos, ttlNanos);
    }

    @Override
    public Uni<Void> releaseLease(Lease lease) {
      return delegate.releaseLease(lease);
    }

    @Override
    public Uni<Optional<Lease>> lease(String name) {
      return delegate.lease(name);
    }

    @Override
    public Set<RetentionSignal> signals() {
      return delegate.signals();
    }

    @Override
    public Uni<List<String>> tenants(RetentionSignal signal) {
      return delegate.tenants(signal);
    }

    @Override
    public Uni<List<Bucket>> histogram(RowSet rows, long beforeUnixNanos, long bucketNanos) {
      return delegate.histogram(rows, beforeUnixNanos, bucketNanos);
    }

    @Override
    public Uni<OptionalLong> oldest(RowSet rows) {
      return delegate.oldest(rows);
    }

    @Override
    public Uni<SignalSize> size(RetentionSignal signal) {
      return delegate.size(signal);
    }

    @Override
    public Uni<Void> reclaim(RetentionSignal signal) {
      return delegate.reclaim(signal);
    }
  }
}
