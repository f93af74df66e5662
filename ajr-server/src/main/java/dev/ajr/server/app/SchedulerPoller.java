package dev.ajr.server.app;

import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.core.tracking.JobTracker;
import dev.ajr.server.metrics.PollMeter;
import dev.ajr.server.service.Service;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the scheduler at a fixed delay, reconciles the store with it and tells the log follower and
 * the progress monitor ({@code onActive}) which attempts are active. A failed read is logged once
 * when it starts failing and once when it works again (not every second), and the next round simply
 * tries again: a slurmctld that is away delays tracking, it loses nothing that Slurm still
 * remembers.
 */
public final class SchedulerPoller implements Service {

  private static final Logger log = LoggerFactory.getLogger(SchedulerPoller.class);

  private final Scheduler scheduler;
  private final JobTracker tracker;
  private final Consumer<List<ActiveAttempt>> onActive;
  private final Duration interval;
  private final LatestJobs latest;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ajr-scheduler-poller").daemon(true).factory());
  private final PollMeter meter;
  private volatile boolean healthy = true;
  private volatile boolean readOnce;
  private volatile boolean closed;

  /**
   * @param latest where each successful read's jobs are kept for others
   * @param meter told how long each round took and what it found
   */
  SchedulerPoller(
      Scheduler scheduler,
      JobTracker tracker,
      Consumer<List<ActiveAttempt>> onActive,
      Duration interval,
      LatestJobs latest,
      PollMeter meter) {
    this.scheduler = scheduler;
    this.tracker = tracker;
    this.onActive = onActive;
    this.interval = interval;
    this.latest = latest;
    this.meter = meter;
  }

  @Override
  public String name() {
    return "scheduler poller";
  }

  @Override
  public void start() {
    thread.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** False from a failed read of Slurm until a read works again (true before the first read). */
  public boolean healthy() {
    return healthy;
  }

  /** Whether the last round read Slurm (false before the first round ended). */
  public boolean lastReadWorked() {
    return readOnce && healthy;
  }

  void poll() {
    long start = System.nanoTime();
    try {
      List<SchedulerJob> jobs = scheduler.jobs();
      latest.set(jobs);
      List<ActiveAttempt> active = tracker.reconcile(jobs);
      onActive.accept(active);
      meter.read(Duration.ofNanos(System.nanoTime() - start), active.size());
      readOnce = true;
      if (!healthy) {
        log.info("reading Slurm works again");
        healthy = true;
      }
    } catch (SchedulerException e) {
      if (closed) {
        return; // the read was interrupted because the server stops
      }
      meter.failed(Duration.ofNanos(System.nanoTime() - start));
      if (healthy) {
        log.warn("cannot read Slurm, will keep trying: {}", e.getMessage());
        healthy = false;
      }
    } catch (RuntimeException e) {
      log.warn("tracking jobs failed this round, will try again: {}", e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
  }
}
