package dev.ajr.server.app;

import dev.ajr.core.scheduler.SchedulerJob;
import java.util.List;
import java.util.function.Supplier;

/**
 * The jobs of the scheduler poller's latest successful read, for those who need the whole queue
 * between reads (a singleton chain's held successor). Written by the poller, read by any thread;
 * the list is the scheduler's own, never changed after the read.
 */
final class LatestJobs implements Supplier<List<SchedulerJob>> {

  private volatile List<SchedulerJob> jobs = List.of();

  void set(List<SchedulerJob> jobs) {
    this.jobs = jobs;
  }

  @Override
  public List<SchedulerJob> get() {
    return jobs;
  }
}
