package dev.sextant.retention;

import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Policies as the API manages them: validated, versioned (a change names the version it replaces),
 * within the caller's authority, stored in the store so every instance sees them. After a change,
 * {@code changed} hears the new list (the schedule follows it at once in this instance, within
 * {@code policy-refresh} in the others).
 */
final class PolicyService {
  private final RetentionStore store;
  private final Clock clock;
  private final String defaultSchedule;
  private final Duration timeout;
  private final Consumer<List<RetentionPolicy>> changed;

  PolicyService(
      RetentionStore store,
      Clock clock,
      RetentionConfig config,
      Consumer<List<RetentionPolicy>> changed) {
    this.store = store;
    this.clock = clock;
    this.defaultSchedule = config.schedule();
    this.timeout = config.deleteTimeout();
    this.changed = changed;
  }

  List<RetentionPolicy> all() {
    return Await.of(store.policies(), timeout);
  }

  List<RetentionPolicy> visible(Authority who) {
    return all().stream().filter(who::mayRead).toList();
  }

  RetentionPolicy get(Authority who, String id) {
    return visible(who).stream()
        .filter(p -> p.id().equals(id))
        .findFirst()
        .orElseThrow(() -> ApiProblem.notFound("no retention policy " + id));
  }

  RetentionPolicy create(Authority who, PolicySpec requested) {
    PolicySpec spec = PolicyRules.check(requested, defaultSchedule);
    who.requireChange(spec.tenant());
    List<RetentionPolicy> all = all();
    String id = "policy-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    PolicyRules.requireUnique(spec, id, all);
    RetentionPolicy policy = spec.toPolicy(id, 1, now());
    if (!Await.of(store.savePolicy(policy), timeout)) {
      throw ApiProblem.conflict("policy " + id + " exists already; try again");
    }
    announce();
    return policy;
  }

  RetentionPolicy update(Authority who, String id, long version, PolicySpec requested) {
    RetentionPolicy stored = get(who, id);
    who.requireChange(stored.tenant());
    PolicySpec spec = PolicyRules.check(requested, defaultSchedule);
    who.requireChange(spec.tenant());
    if (DefaultPolicies.isDefault(id)
        && (!spec.tenant().equals(stored.tenant())
            || spec.signal() != stored.signal()
            || !spec.selector().equals(stored.selector()))) {
      throw ApiProblem.badData(
          "a default policy keeps its tenant, signal and selector; create a policy for another"
              + " scope");
    }
    requireVersion(stored, version);
    PolicyRules.requireUnique(spec, id, all());
    RetentionPolicy changedPolicy = spec.toPolicy(id, stored.version() + 1, now());
    if (!Await.of(store.savePolicy(changedPolicy), timeout)) {
      throw ApiProblem.conflict(
          "policy " + id + " changed meanwhile; read it again and apply your change to it");
    }
    announce();
    return changedPolicy;
  }

  /** Deletes the policy; {@code version} 0 deletes whatever version is stored. */
  void delete(Authority who, String id, long version) {
    RetentionPolicy stored = get(who, id);
    who.requireChange(stored.tenant());
    if (DefaultPolicies.isDefault(id)) {
      throw ApiProblem.conflict(
          "default policy " + id + " cannot be deleted; set enabled to false to stop it");
    }
    requireVersion(stored, version == 0 ? stored.version() : version);
    if (!Await.of(store.deletePolicy(id, version == 0 ? stored.version() : version), timeout)) {
      throw ApiProblem.conflict("policy " + id + " changed meanwhile; read it again");
    }
    announce();
  }

  private static void requireVersion(RetentionPolicy stored, long version) {
    if (stored.version() != version) {
      throw ApiProblem.conflict(
          "policy "
              + stored.id()
              + " is at version "
              + stored.version()
              + ", not "
              + version
              + "; read it again and apply your change to it");
    }
  }

  private void announce() {
    changed.accept(all());
  }

  private long now() {
    return UnixNanos.of(clock.instant());
  }
}
