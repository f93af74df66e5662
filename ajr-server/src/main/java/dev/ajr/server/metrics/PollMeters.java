package dev.ajr.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The poller's meters: the time of a round, failed rounds, whether the last read worked and how
 * many jobs it tracked. Before the first round (and on a replica that does not act) the two gauges
 * are NaN: nothing was read. Thread-safe.
 */
public final class PollMeters implements PollMeter {

  private final Timer rounds;
  private final Counter failures;
  private final Counter toldTaken;
  private final Counter toldDropped;
  private volatile double reachable = Double.NaN;
  private volatile double tracked = Double.NaN;

  PollMeters(AjrMeters meters) {
    this.rounds = meters.seconds(AjrMeters.POLL, "one round of the scheduler poller");
    this.failures =
        meters.counter(AjrMeters.POLL_FAILURES, "rounds in which Slurm could not be read");
    String told = "jobs Slurm's controller told of (its prolog and epilog hooks)";
    this.toldTaken = meters.counter(AjrMeters.SLURM_TOLD, told, "outcome", "looked_at");
    this.toldDropped = meters.counter(AjrMeters.SLURM_TOLD, told, "outcome", "dropped");
    meters.gauge(
        AjrMeters.SLURM_REACHABLE, "1 when the last read of Slurm worked", () -> reachable);
    meters.gauge(
        AjrMeters.JOBS_TRACKED, "unfinished jobs after the last read of Slurm", () -> tracked);
  }

  @Override
  public void read(Duration took, int jobsTracked) {
    rounds.record(took);
    reachable = 1;
    tracked = jobsTracked;
  }

  @Override
  public void told(boolean taken) {
    (taken ? toldTaken : toldDropped).increment();
  }

  @Override
  public void failed(Duration took) {
    rounds.record(took);
    failures.increment();
    reachable = 0;
  }
}
