package dev.ajr.server.http;

/**
 * Where word from Slurm's controller goes that a job started or ended (its {@code PrologSlurmctld}
 * and {@code EpilogSlurmctld} hooks call the API): ajr then looks at that job at once instead of at
 * the next listing of the queue. The word carries no trust: it only says which job to look at, and
 * what ajr records comes from Slurm.
 */
@FunctionalInterface
public interface SlurmHooks {

  /** What became of the word. */
  enum Outcome {
    /** The job is looked at soon. */
    LOOKED_AT,
    /** Too many jobs wait for their look already; the next listing finds this one. */
    DROPPED,
    /** This replica does not track jobs now (a follower); the leader's listing finds the job. */
    NOT_TRACKING
  }

  /** Nobody listens: every word is {@link Outcome#NOT_TRACKING}. */
  SlurmHooks NONE = jobId -> Outcome.NOT_TRACKING;

  /** Takes the word that {@code jobId} changed; never blocks. */
  Outcome jobChanged(long jobId);
}
