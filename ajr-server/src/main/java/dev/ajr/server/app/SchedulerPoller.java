package dev.ajr.server.app;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.core.tracking.JobTracker;
import dev.ajr.server.metrics.PollMeter;
import dev.ajr.server.service.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the scheduler, reconciles the store with it and tells the log follower and the progress
 * monitor ({@code onActive}) which attempts are active. Rounds follow each other after {@code
 * interval}, or longer when a round takes long: the wait is stretched so that rounds take at most
 * {@code maxShare} of the time (a 2 s read of a large queue with a share of 0.25 waits 6 s), which
 * keeps both slurmctld and ajr from spending their time on listings. While such a stretched wait
 * runs, the jobs ajr acted on lately ({@link JobTracker#hotJobs}) are looked at one by one every
 * {@code interval} (a look-up of one job costs slurmctld next to nothing), so a released job's next
 * attempt is followed as soon as it starts, however large the queue. A failed read is logged once
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
  private final double maxShare;
  private final LatestJobs latest;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ajr-scheduler-poller").daemon(true).factory());
  private final PollMeter meter;

  /** At most this many single look-ups between two rounds' intervals. */
  static final int HOT_LOOKUPS = 8;

  private List<ActiveAttempt> lastActive = List.of();
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
      double maxShare,
      LatestJobs latest,
      PollMeter meter) {
    this.scheduler = scheduler;
    this.tracker = tracker;
    this.onActive = onActive;
    this.interval = interval;
    this.maxShare = maxShare;
    this.latest = latest;
    this.meter = meter;
  }

  @Override
  public String name() {
    return "scheduler poller";
  }

  @Override
  public void start() {
    thread.execute(this::round);
  }

  private void round() {
    long start = System.nanoTime();
    poll();
    long took = System.nanoTime() - start;
    long nextRound = start + took + waitAfter(Duration.ofNanos(took), interval, maxShare).toNanos();
    between(nextRound);
  }

  /** Until the next round is due, looks at the hot jobs every interval. */
  private void between(long nextRound) {
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    try {
      if (nextRound - now <= interval.toNanos()) {
        thread.schedule(this::round, Math.max(0, nextRound - now), NANOSECONDS);
      } else {
        thread.schedule(
            () -> {
              lookAtHotJobs();
              between(nextRound);
            },
            interval.toNanos(),
            NANOSECONDS);
      }
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  /**
   * Reconciles the jobs ajr acted on lately from single look-ups and tells the listeners the active
   * attempts, those of the last round with these jobs' replaced.
   */
  void lookAtHotJobs() {
    try {
      List<Long> hot = tracker.hotJobs(HOT_LOOKUPS);
      if (hot.isEmpty()) {
        return;
      }
      List<SchedulerJob> fresh = new ArrayList<>();
      for (long id : hot) {
        scheduler.job(id).ifPresent(fresh::add);
      }
      Set<Long> looked = new HashSet<>(hot);
      List<ActiveAttempt> active = new ArrayList<>();
      for (ActiveAttempt a : lastActive) {
        if (!looked.contains(a.jobId())) {
          active.add(a);
        }
      }
      active.addAll(tracker.reconcileSome(fresh));
      lastActive = List.copyOf(active);
      onActive.accept(lastActive);
    } catch (SchedulerException e) {
      // The next round reads the whole queue and reports; nothing is lost by skipping a look.
      log.debug("looking at single jobs failed: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("looking at single jobs failed, will try again: {}", e.toString());
    }
  }

  /**
   * How long to wait after a round that took {@code took}: {@code interval}, or longer so that
   * rounds take at most {@code maxShare} of the time. Pure.
   */
  static Duration waitAfter(Duration took, Duration interval, double maxShare) {
    long tookNanos = took.toNanos();
    long stretched = (long) Math.ceil(tookNanos * (1 - maxShare) / maxShare);
    return Duration.ofNanos(Math.max(interval.toNanos(), stretched));
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
      lastActive = List.copyOf(active);
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
