package dev.ajr.core.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * What the {@link BudgetRule}s look at for one anomaly of an opted-in job, and how they answer.
 *
 * @param input the policy's input
 * @param history the job's history as the budgets count it
 * @param allowed the job's budget of charged recoveries ({@code max_requeue_times}, the
 *     administrator's default when the job does not say, never above the administrator's cap)
 * @param budgetWords where {@code allowed} comes from, in words ("; max_requeue_times 3 from the
 *     job's directive")
 * @param reasons the reasons so far: the anomaly as found, and whether the budget started again
 */
record BudgetContext(
    PolicyInput input,
    BudgetHistory history,
    int allowed,
    String budgetWords,
    List<String> reasons) {

  BudgetContext {
    reasons = List.copyOf(reasons);
  }

  /** Whether a recovery for this anomaly uses the job's budget (its rule's {@code charged}). */
  boolean charged() {
    return input.anomaly().charged();
  }

  PolicySettings settings() {
    return input.settings();
  }

  /** Stops the job, ending the failing attempt if it still runs; {@code why} joins the reasons. */
  DecisionPlan.Stop stop(String why, String stopReason) {
    return new DecisionPlan.Stop(
        input.job().jobId(), !input.attempt().state().isFinal(), with(why), stopReason);
  }

  /** Leaves the job as Slurm left it; {@code why} joins the reasons. */
  DecisionPlan.NoAction leaveAlone(String why) {
    return new DecisionPlan.NoAction(with(why));
  }

  private List<String> with(String why) {
    List<String> all = new ArrayList<>(reasons);
    all.add(why);
    return all;
  }
}
