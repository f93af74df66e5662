package dev.ajr.server.app;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.core.tracking.JobTracker;
import dev.ajr.server.http.SlurmHooks;
import dev.ajr.server.metrics.PollMeter;
import dev.ajr.server.service.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the scheduler, reconciles the store with it and tells the log follower and the progress
 * monitor ({@code onActive}) which attempts are active.
 *
 * <p>Listings of the whole queue follow each other after {@code interval}, or longer when one takes
 * long: the wait is stretched so that listing takes at most {@code maxShare} of the time (a 2 s
 * listing of a large queue with a share of 0.25 waits 6 s), which keeps both slurmctld and ajr from
 * spending their time on listings. A listing runs on a thread of its own, so single jobs are looked
 * at (a look-up of one job costs slurmctld next to nothing) while a long listing runs:
 *
 * <ul>
 *   <li>the jobs ajr acted on lately ({@link JobTracker#hotJobs}), every {@code interval} while the
 *       freshest listing is older than that, so a released job's next attempt is followed as soon
 *       as it starts, however large the queue;
 *   <li>the jobs Slurm's controller told of ({@link #jobChanged}: its prolog and epilog hooks say a
 *       job started or ended), at once, so a new job is followed from its first line.
 * </ul>
 *
 * <p>The tracker is called from one thread only; a listing that was being read while a job was
 * looked at does not override the look ({@link JobTracker#reconcile(List, Set)}). A failed read is
 * logged once when it starts failing and once when it works again (not every second), and the next
 * listing simply tries again: a slurmctld that is away delays tracking, it loses nothing that Slurm
 * still remembers.
 */
public final class SchedulerPoller implements Service {

  private static final Logger log = LoggerFactory.getLogger(SchedulerPoller.class);

  /** At most this many hot jobs are looked at per interval. */
  static final int HOT_LOOKUPS = 8;

  /** Told-of jobs looked at in one turn of the tracker's thread, before other work gets a turn. */
  static final int TOLD_LOOKUPS_PER_TURN = 32;

  private final Scheduler scheduler;
  private final JobTracker tracker;
  private final Consumer<List<ActiveAttempt>> onActive;
  private final Duration interval;
  private final double maxShare;
  private final LatestJobs latest;
  private final PollMeter meter;
  private final ToldJobs told;

  /** Runs every tracker call, the look-ups and the listeners. */
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ajr-scheduler-poller").daemon(true).factory());

  /** Runs the listings of the whole queue. */
  private final ExecutorService reader =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("ajr-scheduler-listing").daemon(true).factory());

  private final AtomicBoolean toldTurnQueued = new AtomicBoolean();

  // Owned by the tracker's thread:
  private List<ActiveAttempt> lastActive = List.of();
  private final Map<Long, Long> foundByLookAt = new HashMap<>();
  private long listingStartedAt = System.nanoTime();
  private long nextListingAt = Long.MAX_VALUE;
  private boolean listing;

  private volatile boolean healthy = true;
  private volatile boolean readOnce;
  private volatile boolean started;
  private volatile boolean closed;

  /**
   * @param latest where each successful read's jobs are kept for others
   * @param meter told how long each listing took and what it found
   * @param maxToldJobs how many told-of jobs may wait for their look at once; more are dropped (the
   *     next listing finds them)
   */
  SchedulerPoller(
      Scheduler scheduler,
      JobTracker tracker,
      Consumer<List<ActiveAttempt>> onActive,
      Duration interval,
      double maxShare,
      LatestJobs latest,
      PollMeter meter,
      int maxToldJobs) {
    this.scheduler = scheduler;
    this.tracker = tracker;
    this.onActive = onActive;
    this.interval = interval;
    this.maxShare = maxShare;
    this.latest = latest;
    this.meter = meter;
    this.told = new ToldJobs(maxToldJobs);
  }

  /** As above, with room for {@value ToldJobs#DEFAULT_CAPACITY} told-of jobs. */
  SchedulerPoller(
      Scheduler scheduler,
      JobTracker tracker,
      Consumer<List<ActiveAttempt>> onActive,
      Duration interval,
      double maxShare,
      LatestJobs latest,
      PollMeter meter) {
    this(
        scheduler, tracker, onActive, interval, maxShare, latest, meter, ToldJobs.DEFAULT_CAPACITY);
  }

  @Override
  public String name() {
    return "scheduler poller";
  }

  @Override
  public void start() {
    started = true;
    thread.execute(this::beginListing);
    thread.scheduleWithFixedDelay(this::tick, interval.toNanos(), interval.toNanos(), NANOSECONDS);
  }

  /**
   * Says that Slurm's controller told of a change to this job (it started or ended): it is looked
   * at soon, on the tracker's thread. Any thread; never blocks.
   */
  public SlurmHooks.Outcome jobChanged(long jobId) {
    if (!started || closed) {
      return SlurmHooks.Outcome.NOT_TRACKING;
    }
    boolean taken = told.add(jobId);
    meter.told(taken);
    if (!taken) {
      return SlurmHooks.Outcome.DROPPED;
    }
    if (toldTurnQueued.compareAndSet(false, true)) {
      submit(this::lookAtToldJobs);
    }
    return SlurmHooks.Outcome.LOOKED_AT;
  }

  /** Starts a listing on the reader's thread; its result comes back to the tracker's thread. */
  private void beginListing() {
    if (closed) {
      return;
    }
    listing = true;
    long started = System.nanoTime();
    listingStartedAt = started;
    try {
      reader.execute(() -> {
        List<SchedulerJob> jobs = read(started);
        submit(() -> endListing(jobs, started));
      });
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private void endListing(List<SchedulerJob> jobs, long started) {
    listing = false;
    if (jobs != null) {
      reconcileListing(jobs, started);
    }
    long took = System.nanoTime() - started;
    nextListingAt =
        started + took + waitAfter(Duration.ofNanos(took), interval, maxShare).toNanos();
    try {
      thread.schedule(
          this::beginListing, Math.max(0, nextListingAt - System.nanoTime()), NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  /**
   * Every interval: looks at the hot jobs, unless listings come every interval anyway (a quick
   * listing just ended, or one runs that began moments ago).
   */
  private void tick() {
    long now = System.nanoTime();
    boolean listingsKeepUp =
        listing
            ? now - listingStartedAt < interval.toNanos() / 2
            : nextListingAt - now <= interval.toNanos();
    if (!listingsKeepUp) {
      lookAtHotJobs();
    }
  }

  /**
   * Reconciles the jobs ajr acted on lately from single look-ups and tells the listeners the active
   * attempts. Tracker's thread (tests: the calling thread).
   */
  void lookAtHotJobs() {
    lookAt(tracker.hotJobs(HOT_LOOKUPS));
  }

  /** Looks at the next told-of jobs; queues another turn while more wait. Tracker's thread. */
  void lookAtToldJobs() {
    toldTurnQueued.set(false);
    lookAt(told.take(TOLD_LOOKUPS_PER_TURN));
    if (!told.isEmpty() && toldTurnQueued.compareAndSet(false, true)) {
      submit(this::lookAtToldJobs);
    }
  }

  /**
   * Reconciles fresh looks at these jobs and tells the listeners the active attempts: those of the
   * last listing and looks, with these jobs' replaced.
   */
  private void lookAt(List<Long> ids) {
    if (ids.isEmpty()) {
      return;
    }
    try {
      List<SchedulerJob> fresh = new ArrayList<>();
      for (long id : ids) {
        scheduler.job(id).ifPresent(fresh::add);
      }
      long now = System.nanoTime();
      for (SchedulerJob job : fresh) {
        foundByLookAt.put(job.jobId(), now);
      }
      Set<Long> looked = new HashSet<>(ids);
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
      // The next listing reads the whole queue and reports; nothing is lost by skipping a look.
      log.debug("looking at single jobs failed: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("looking at single jobs failed, will try again: {}", e.toString());
    }
  }

  /**
   * How long to wait after a listing that took {@code took}: {@code interval}, or longer so that
   * listing takes at most {@code maxShare} of the time. Pure.
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

  /** Whether the last listing read Slurm (false before the first listing ended). */
  public boolean lastReadWorked() {
    return readOnce && healthy;
  }

  /** One listing and its reconciliation, on the calling thread (tests). */
  void poll() {
    long started = System.nanoTime();
    List<SchedulerJob> jobs = read(started);
    if (jobs != null) {
      reconcileListing(jobs, started);
    }
  }

  /** Lists the queue; null when it could not be read (reported here). Reader's thread. */
  private List<SchedulerJob> read(long started) {
    try {
      List<SchedulerJob> jobs = scheduler.jobs();
      latest.set(jobs);
      readOnce = true;
      if (!healthy) {
        log.info("reading Slurm works again");
        healthy = true;
      }
      return jobs;
    } catch (SchedulerException e) {
      if (!closed) {
        meter.failed(Duration.ofNanos(System.nanoTime() - started));
        if (healthy) {
          log.warn("cannot read Slurm, will keep trying: {}", e.getMessage());
          healthy = false;
        }
      }
      return null;
    } catch (RuntimeException e) {
      log.warn("reading Slurm failed this round, will try again: {}", e.toString());
      return null;
    }
  }

  /** Reconciles a listing begun at {@code started}. Tracker's thread. */
  private void reconcileListing(List<SchedulerJob> jobs, long started) {
    try {
      Set<Long> lookedAtSince = new HashSet<>();
      foundByLookAt
          .entrySet()
          .removeIf(e -> {
            if (e.getValue() - started >= 0) {
              lookedAtSince.add(e.getKey());
              return false;
            }
            return true;
          });
      List<ActiveAttempt> active = tracker.reconcile(jobs, lookedAtSince);
      lastActive = List.copyOf(active);
      onActive.accept(lastActive);
      meter.read(Duration.ofNanos(System.nanoTime() - started), active.size());
    } catch (RuntimeException e) {
      log.warn("tracking jobs failed this round, will try again: {}", e.toString());
    }
  }

  private void submit(Runnable work) {
    try {
      thread.execute(work);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  @Override
  public void close() {
    closed = true;
    reader.shutdownNow();
    thread.shutdownNow();
  }
}
