package dev.sextant.retention;

import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RowSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's age tasks: for each tenant the policy applies to, the rows it governs ({@link
 * Precedence}) older than its max age at the plan time. Pure: the same policies, tenants and time
 * give the same plan, which is what lets a crashed run be resumed.
 */
final class RunPlanner {
  private RunPlanner() {}

  /** A task and the rows it addresses. */
  record Planned(RetentionTask task, RowSet rows) {}

  /**
   * @param tenantsWithData the tenants having rows of the policy's signal (used for a policy of
   *     every tenant; a tenant's own policy plans its tenant regardless)
   */
  static List<Planned> ageTasks(
      RetentionPolicy policy,
      List<RetentionPolicy> all,
      List<String> tenantsWithData,
      long planUnixNanos) {
    long cutoff = ageCutoff(policy, planUnixNanos);
    List<String> tenants =
        policy.appliesToAllTenants() ? tenantsWithData : List.of(policy.tenant());
    List<Planned> planned = new ArrayList<>();
    for (String tenant : tenants) {
      RetentionTask task =
          new RetentionTask(
              tenant,
              policy.signal(),
              RetentionTask.Kind.AGE,
              RetentionTask.State.PENDING,
              cutoff,
              0,
              0,
              "");
      planned.add(new Planned(task, Precedence.governed(policy, tenant, all)));
    }
    return planned;
  }

  /** Rows before this go: the plan time minus the max age; a max age before 1970 cuts at 0. */
  static long ageCutoff(RetentionPolicy policy, long planUnixNanos) {
    long maxAge = policy.maxAge().toNanos();
    return planUnixNanos - maxAge < 0 ? 0 : planUnixNanos - maxAge;
  }
}
