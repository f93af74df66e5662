package dev.ajr.core.testing;

import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.core.scheduler.SchedulerJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Slurm in a map: commands change the jobs the way Slurm 22.05 does (a requeue holds the job with a
 * begin time {@link #REQUEUE_DELAY} away; a job slow to die stays COMPLETING), and failures can be
 * injected per method or for the whole controller.
 */
public final class FakeScheduler implements Scheduler {

  /** Slurm's requeue delay: the credential expiry (120 s) plus one second. */
  public static final Duration REQUEUE_DELAY = Duration.ofSeconds(121);

  private final Clock clock;
  private final Map<Long, SchedulerJob> jobs = new LinkedHashMap<>();
  private final Map<String, Integer> calls = new HashMap<>();
  private final Map<String, Integer> transientFailuresLeft = new HashMap<>();
  private final Map<String, String> refusals = new java.util.HashMap<>();
  private Instant controllerDownUntil = Instant.MIN;
  private final List<String> log = new ArrayList<>();
  private Duration killWait = Duration.ZERO;
  private final Map<Long, Instant> completingUntil = new HashMap<>();

  public FakeScheduler(Clock clock) {
    this.clock = clock;
  }

  public synchronized FakeScheduler put(SchedulerJob job) {
    jobs.put(job.jobId(), job);
    return this;
  }

  public synchronized SchedulerJob get(long jobId) {
    return jobs.get(jobId);
  }

  /**
   * The next {@code times} calls of {@code method} (for example "requeueHold") fail transiently.
   */
  public synchronized FakeScheduler failTransiently(String method, int times) {
    transientFailuresLeft.put(method, times);
    return this;
  }

  /** Every call of {@code method} is refused by Slurm with this message (not transient). */
  public synchronized FakeScheduler refuse(String method, String message) {
    refusals.put(method, message);
    return this;
  }

  /** Every call fails as if slurmctld did not answer until the clock reaches {@code until}. */
  public synchronized FakeScheduler controllerDownUntil(Instant until) {
    controllerDownUntil = until;
    return this;
  }

  /**
   * A requeued job stays COMPLETING this long (a job that ignores SIGTERM, Slurm's KillWait); when
   * it turns PENDING Slurm sets its begin time again to then plus the requeue delay.
   */
  public synchronized FakeScheduler killWait(Duration duration) {
    killWait = duration;
    return this;
  }

  public synchronized int calls(String method) {
    return calls.getOrDefault(method, 0);
  }

  /** The commands that reached the scheduler and changed something, in order. */
  public synchronized List<String> commandLog() {
    return List.copyOf(log);
  }

  private void enter(String method) throws SchedulerException {
    calls.merge(method, 1, Integer::sum);
    finishRequeues();
    if (clock.instant().isBefore(controllerDownUntil)) {
      throw new SchedulerException("Unable to contact slurm controller (connect failure)", true);
    }
    if (refusals.containsKey(method)) {
      throw new SchedulerException(refusals.get(method), false);
    }
    int left = transientFailuresLeft.getOrDefault(method, 0);
    if (left > 0) {
      transientFailuresLeft.put(method, left - 1);
      throw new SchedulerException(method + ": Socket timed out on send/recv operation", true);
    }
  }

  private void finishRequeues() {
    Instant now = clock.instant();
    for (var it = completingUntil.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (!now.isBefore(entry.getValue())) {
        it.remove();
        put(
            SchedulerJobBuilder.from(jobs.get(entry.getKey()))
                .state("PENDING")
                .beginTime(entry.getValue().plus(REQUEUE_DELAY))
                .build());
      }
    }
  }

  private SchedulerJob known(long jobId) throws SchedulerException {
    SchedulerJob job = jobs.get(jobId);
    if (job == null) {
      throw new SchedulerException("Invalid job id specified for job " + jobId, false);
    }
    return job;
  }

  @Override
  public synchronized List<SchedulerJob> jobs() throws SchedulerException {
    enter("jobs");
    return List.copyOf(jobs.values());
  }

  @Override
  public synchronized Optional<SchedulerJob> job(long jobId) throws SchedulerException {
    enter("job");
    return Optional.ofNullable(jobs.get(jobId));
  }

  @Override
  public synchronized void requeueHold(long jobId) throws SchedulerException {
    enter("requeueHold");
    SchedulerJob job = known(jobId);
    if (job.isPending()) {
      throw new SchedulerException("Job is pending execution for job " + jobId, false);
    }
    // Slurm requeues running and finished jobs alike.
    Instant now = clock.instant();
    boolean slowToDie = killWait.isPositive();
    if (slowToDie) {
      completingUntil.put(jobId, now.plus(killWait));
    }
    put(
        SchedulerJobBuilder.from(job)
            .state(slowToDie ? "COMPLETING" : "PENDING")
            .reason("JobHeldUser")
            .held(true)
            .restartCount(job.restartCount() + 1)
            .nodes()
            .startTime(null)
            .endTime(null)
            .beginTime(now.plus(REQUEUE_DELAY))
            .build());
    log.add("requeueHold " + jobId);
  }

  @Override
  public synchronized void release(long jobId) throws SchedulerException {
    enter("release");
    SchedulerJob job = known(jobId);
    boolean waiting = job.beginTime() != null && job.beginTime().isAfter(clock.instant());
    put(
        SchedulerJobBuilder.from(job)
            .held(false)
            .reason(job.isPending() ? (waiting ? "BeginTime" : "None") : job.stateReason())
            .build());
    log.add("release " + jobId);
  }

  @Override
  public synchronized void startAfter(long jobId, java.time.Duration delay)
      throws SchedulerException {
    enter("startNow");
    SchedulerJob job = known(jobId);
    // Slurm accepts StartTime=now while a requeued job is COMPLETING, then overwrites it.
    if (!job.isPending() && !completingUntil.containsKey(jobId)) {
      throw new SchedulerException("Job is no longer pending execution for job " + jobId, false);
    }
    put(SchedulerJobBuilder.from(job).beginTime(clock.instant().plus(delay)).build());
    log.add("startNow " + jobId);
  }

  @Override
  public synchronized void cancel(long jobId) throws SchedulerException {
    enter("cancel");
    SchedulerJob job = jobs.get(jobId);
    if (job == null || job.isFinished()) {
      return; // scancel is silent and returns 0 here
    }
    Instant now = clock.instant();
    put(
        SchedulerJobBuilder.from(job)
            .state("CANCELLED")
            .reason("None")
            .endTime(now)
            .exitCode(143)
            .build());
    log.add("cancel " + jobId);
  }

  @Override
  public synchronized void excludeNodes(long jobId, List<String> nodes) throws SchedulerException {
    enter("excludeNodes");
    SchedulerJob job = known(jobId);
    if (!job.isPending()) {
      throw new SchedulerException("Job is no longer pending execution for job " + jobId, false);
    }
    put(SchedulerJobBuilder.from(job).excludedNodes(nodes.toArray(String[]::new)).build());
    log.add("excludeNodes " + jobId + " " + nodes);
  }
}
