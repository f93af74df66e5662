package dev.ajr.server.http;

import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/v1/slurm/jobs/{jobId}/changed}: Slurm's controller says (through the hook script
 * in its {@code PrologSlurmctld} and {@code EpilogSlurmctld}) that a job started or ended.
 *
 * <p>Contract: for agents, operators and administrators ({@link Access#TELLS_OF_JOBS}); the body,
 * if any, is ignored. The answer is 202 whatever became of the word ({@code outcome}: {@code
 * looked_at}, {@code dropped}, {@code not_tracking}): the hook has nothing to retry, since the next
 * listing of the queue finds every job anyway. A caller can make ajr look at any job id, which
 * costs one look-up of one job in slurmctld and records only what Slurm says.
 */
final class SlurmHookRoutes {

  private final SlurmHooks hooks;

  SlurmHookRoutes(SlurmHooks hooks) {
    this.hooks = hooks;
  }

  Reply jobChanged(Call call) {
    long jobId = call.id("jobId");
    SlurmHooks.Outcome outcome = hooks.jobChanged(jobId);
    return new Reply(
        202, Map.of("jobId", jobId, "outcome", outcome.name().toLowerCase(Locale.ROOT)));
  }
}
