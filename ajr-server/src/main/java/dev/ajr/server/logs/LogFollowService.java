package dev.ajr.server.logs;

import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.tracking.ActiveAttempt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the output of every active job on a shared filesystem: at once when the file system
 * notifies a change, by polling where it cannot.
 *
 * <p>Design: the tracker reports the current attempt of each unfinished job after every scheduler
 * poll ({@link #update}). While an attempt runs, its job's standard output and error and the step
 * logs in its working directory ({@link JobLogFiles}) are followed. A step log belongs to the
 * attempt that was running when it appeared (or to the previous attempt when it was last written
 * before the current one started), so a file per attempt is attributed right; standard output,
 * which Slurm reuses across attempts, belongs to whichever attempt runs when a line is read.
 * Followers and their offsets live as long as the job is active, so a requeued job's old lines are
 * never read again for its next attempt; a job that stops being active is read for a grace period
 * more (its last lines), then its partial last lines are flushed and it is forgotten. Positions are
 * saved through {@link LogOffsets} once a second, those of all files whose lines were handled
 * meanwhile together, so after a restart of ajr a file is read on from after its last line handled,
 * with the attempt it belonged to.
 *
 * <p>When to read: each distinct directory a job uses (its working directory, the directories of
 * its outputs) is watched once ({@link DirectoryWatcher}) however many files and jobs it holds. A
 * notification reads the files named in it at once, and a file created there that belongs to a job
 * is followed at once. Directories on network and parallel file systems ({@link
 * NotifyingFileSystems}), directories that could not be registered, and every directory when {@link
 * LogSettings#notifications()} is off are polled: their files are read every {@code pollInterval}
 * and listed every {@code scanInterval}. Watched files are still read, and watched directories
 * listed, about every {@code safetyPollInterval}, in case a notification was lost: a share of them
 * in each round, so that no round holds up the notified reads for long. A directory's registration
 * is cancelled when the last job using it is forgotten.
 *
 * <p>Threads: all reading (and splitting into lines) happens on one thread ({@code
 * ajr-log-follower}); notifications are taken on another ({@code ajr-log-watcher}) and handed over.
 * The lines read go to each job's own queue ({@link JobLines}) and are handed to the {@link
 * LineHandler} (diagnosis: CPU-heavy) on a pool of {@link LogSettings#handlerThreads()} platform
 * threads ({@code ajr-line-handler-N}): one job's lines in the order they were read and never two
 * at once, different jobs' lines at the same time, a batch per turn. Reading never waits for a
 * diagnosis, and a job whose lines are slow to diagnose holds one thread a batch at a time: another
 * job's line waits at most for one batch of each job whose turn came first, never for all their
 * output. When a job's queue is full ({@link LogSettings#maxQueuedBytes()}) its files are read no
 * further, the files keeping the rest, and they are read on as soon as it has room ({@code
 * roomFreed}); a job past its grace period is forgotten only once no read of its files was held
 * back, and its partial last lines are flushed into its queue, behind its other lines. {@link
 * #update} may be called from any thread.
 *
 * <p>Why one class: the state it reads by, the jobs ({@link FollowedJob}), their files ({@link
 * FollowedFile}) and directories ({@link LogDirectory}), with the indexes by path, is confined to
 * the follower thread and changed by every step of a round together: adopting an attempt attaches
 * directories and re-attributes step logs, a listing follows files and registers directories, a
 * notification reads files and adopts created ones, forgetting a job releases its files and
 * directories. Split into services, each would hand the others its mutable maps, and which thread
 * may touch them would no longer be plain from one file. What has a job of its own is outside:
 * reading one file ({@link FileFollower}), which files are a job's and which attempt a step log
 * belongs to ({@link JobLogFiles}), the notifications ({@link DirectoryWatcher}) and the saved
 * positions ({@link SavedPositions}).
 */
public final class LogFollowService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LogFollowService.class);

  private final LineHandler handler;
  private final SavedPositions positions;
  private final Clock clock;
  private final LogSettings settings;
  private final Function<Path, Optional<String>> whyPolled;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ajr-log-follower").daemon(true).factory());
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Executor handlers;
  private final ExecutorService ownHandlers; // null when the pool was given
  private final Set<Long> roomFreedJobs = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean resumeScheduled = new AtomicBoolean();
  private volatile boolean started;
  private final Map<Long, FollowedJob> jobs = new HashMap<>();
  // Every job's queue, kept after the job is forgotten until its lines are handled, so that the
  // job followed again meanwhile adds to the same queue and its lines are never handled twice at
  // once.
  private final Map<Long, JobLines> queues = new HashMap<>();
  private final Map<Path, LogDirectory> dirs = new HashMap<>();
  private final Map<Path, List<FollowedFile>> byPath = new HashMap<>();
  private volatile DirectoryWatcher watcher;
  private volatile Map<Long, ActiveAttempt> latest = Map.of();
  private volatile long backlog;
  private volatile int filesFollowed;
  private final int safetyRounds;
  private long round;
  private int nextSlot;

  public LogFollowService(LineHandler handler, Clock clock, LogSettings settings) {
    this(handler, clock, settings, LogOffsets.NONE);
  }

  /**
   * @param offsets where reading stopped, kept across restarts: a file followed again resumes there
   */
  public LogFollowService(
      LineHandler handler, Clock clock, LogSettings settings, LogOffsets offsets) {
    this(handler, clock, settings, offsets, NotifyingFileSystems::whyPolled);
  }

  /**
   * @param whyPolled why a directory must be polled rather than watched, or empty when it can be
   *     watched
   */
  LogFollowService(
      LineHandler handler,
      Clock clock,
      LogSettings settings,
      LogOffsets offsets,
      Function<Path, Optional<String>> whyPolled) {
    this(handler, clock, settings, offsets, whyPolled, null);
  }

  /**
   * @param handlers where the lines are handled, each job's a turn at a time; not shut down by
   *     {@link #close}. Null: a pool of {@link LogSettings#handlerThreads()} threads of its own.
   */
  LogFollowService(
      LineHandler handler,
      Clock clock,
      LogSettings settings,
      LogOffsets offsets,
      Function<Path, Optional<String>> whyPolled,
      Executor handlers) {
    this.ownHandlers = handlers == null ? handlerPool(settings.handlerThreads()) : null;
    this.handlers = handlers == null ? ownHandlers : handlers;
    this.positions = new SavedPositions(offsets);
    this.handler = handler;
    this.clock = clock;
    this.settings = settings;
    this.whyPolled = whyPolled;
    long rounds =
        settings.safetyPollInterval().toMillis() / Math.max(1, settings.pollInterval().toMillis());
    this.safetyRounds = (int) Math.max(1, Math.min(rounds, 1_000_000));
  }

  /**
   * The threads lines are handled on: platform threads (diagnosis computes; a virtual thread would
   * hold its carrier), taking the jobs' turns first come, first served.
   */
  private static ExecutorService handlerPool(int threads) {
    return Executors.newFixedThreadPool(
        threads, Thread.ofPlatform().name("ajr-line-handler-", 1).daemon(true).factory());
  }

  /** Starts reading: the watcher (when notifications are on), then the rounds of polling. */
  public void start() {
    if (settings.notifications()) {
      try {
        DirectoryWatcher w = new DirectoryWatcher(this::changesArrived, whyPolled);
        w.start();
        watcher = w;
      } catch (IOException e) {
        log.warn(
            "file-system notifications are not available ({}); every log file is polled every {}",
            e.getMessage(),
            settings.pollInterval());
      }
    }
    started = true;
    long period = settings.pollInterval().toMillis();
    thread.scheduleWithFixedDelay(this::tickSafely, 0, period, TimeUnit.MILLISECONDS);
  }

  /** The current attempts of all unfinished jobs, from the latest scheduler poll. */
  public void update(List<ActiveAttempt> active) {
    Map<Long, ActiveAttempt> byJob = new LinkedHashMap<>();
    for (ActiveAttempt a : active) {
      byJob.put(a.jobId(), a);
    }
    latest = byJob;
  }

  /** Number of files followed now. */
  public int followedFiles() {
    return onThread(() -> jobs.values().stream().mapToInt(j -> j.files.size()).sum());
  }

  /** Number of directories whose changes are notified now. */
  public int watchedDirectories() {
    return onThread(() -> (int) dirs.values().stream().filter(LogDirectory::watched).count());
  }

  /** Number of directories polled now (no notifications there). */
  public int polledDirectories() {
    return onThread(() -> (int) dirs.values().stream().filter(d -> !d.watched()).count());
  }

  /**
   * Bytes written to the followed files and not handled yet: not read (as of each file's last
   * read), or read and waiting in a job's queue (as of the end of the last round); for the metrics
   * (any thread, never waits).
   */
  public long backlogBytes() {
    return backlog;
  }

  /** The number of files followed at the end of the last round; any thread, never waits. */
  public int filesFollowed() {
    return filesFollowed;
  }

  private int onThread(java.util.concurrent.Callable<Integer> count) {
    try {
      return thread.submit(count).get();
    } catch (Exception e) {
      return -1;
    }
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("log following failed this round; trying again: {}", e.toString());
    }
  }

  /**
   * One round: adopt new jobs, list directories that are due, read the files of polled directories
   * and the watched files whose turn of the safety poll it is, forget jobs long gone.
   */
  void tick() {
    Instant now = clock.instant();
    Map<Long, ActiveAttempt> active = latest;
    for (ActiveAttempt a : active.values()) {
      FollowedJob job = jobs.get(a.jobId());
      if (job == null) {
        if (!a.running()) {
          continue;
        }
        job = new FollowedJob(a.jobId(), queueOf(a.jobId()));
        jobs.put(a.jobId(), job);
      }
      job.lastActive = now;
      boolean newRun =
          a.running()
              && job.attempt != null
              && (job.attempt.attemptIndex() != a.attemptIndex() || !job.attempt.running());
      if (!a.equals(job.attempt)) {
        job.attempt = a;
        attachDirectories(job);
      }
      if (newRun) {
        checkSharedFiles(job);
        reattributeStepLogs(job);
      }
    }
    // The safety poll is spread over the rounds: each reads the watched files (and lists the
    // watched directories) whose turn it is, so no round stalls the notified reads.
    int turn = (int) (round++ % safetyRounds);
    List<FollowedJob> due = new ArrayList<>();
    for (FollowedJob job : jobs.values()) {
      if (active.containsKey(job.jobId) && job.attempt.running() && scanDue(job, turn, now)) {
        due.add(job);
      }
    }
    scan(due, now);
    readWhereRoomFreed(now);
    List<FollowedJob> gone = new ArrayList<>();
    for (FollowedJob job : jobs.values()) {
      boolean readToTheEnd = true;
      for (FollowedFile f : job.files.values()) {
        if (f.fresh || !f.dir.watched() || f.slot == turn) {
          read(job, f, now);
        }
        readToTheEnd &= !f.heldBack;
      }
      // A job whose queue held back its reading is forgotten once the rest is read, so that its
      // last lines are neither lost nor cut by the flush.
      if (!active.containsKey(job.jobId)
          && readToTheEnd
          && Duration.between(job.lastActive, now).compareTo(settings.grace()) > 0) {
        for (FollowedFile f : job.files.values()) {
          Batch last = new Batch(job, f, now, Long.MAX_VALUE);
          f.follower.flush(last);
          job.lines.add(last.entries);
        }
        gone.add(job);
      }
    }
    for (FollowedJob job : gone) {
      forget(job);
    }
    queues.values().removeIf(q -> !jobs.containsKey(q.jobId()) && q.idle());
    measure();
    positions.saveIfDue(now, jobs.values());
  }

  /** The job's queue: the one its lines still wait in from an earlier follower, or a new one. */
  private JobLines queueOf(long jobId) {
    return queues.computeIfAbsent(
        jobId,
        id -> new JobLines(id, handler, handlers, settings.maxQueuedBytes(), () -> roomFreed(id)));
  }

  /**
   * Runs on a handler thread when a held job's queue has room again: its files are read on at once
   * (when started; else in the next round).
   */
  private void roomFreed(long jobId) {
    roomFreedJobs.add(jobId);
    if (started && resumeScheduled.compareAndSet(false, true)) {
      try {
        thread.execute(this::resumeSafely);
      } catch (RejectedExecutionException e) {
        resumeScheduled.set(false); // closed
      }
    }
  }

  private void resumeSafely() {
    resumeScheduled.set(false);
    try {
      readWhereRoomFreed(clock.instant());
    } catch (RuntimeException e) {
      log.warn("reading held-back log files failed; the next poll reads them: {}", e.toString());
    }
  }

  /** Reads on the files held back of the jobs whose queues have room again. */
  private void readWhereRoomFreed(Instant now) {
    for (Long jobId : List.copyOf(roomFreedJobs)) {
      roomFreedJobs.remove(jobId);
      FollowedJob job = jobs.get(jobId);
      if (job == null) {
        continue;
      }
      for (FollowedFile f : job.files.values()) {
        if (f.heldBack) {
          read(job, f, now);
        }
      }
    }
  }

  /** Sums what {@link #backlogBytes} and {@link #filesFollowed} report. */
  private void measure() {
    long bytes = 0;
    int files = 0;
    for (FollowedJob job : jobs.values()) {
      for (FollowedFile f : job.files.values()) {
        bytes += f.follower.backlog();
        files++;
      }
    }
    for (JobLines queue : queues.values()) {
      bytes += queue.queuedBytes();
    }
    backlog = bytes;
    filesFollowed = files;
  }

  /**
   * A new job is listed at once; a job whose directories are all watched when its first directory
   * has its turn of the safety poll; the others every {@code scanInterval}.
   */
  private boolean scanDue(FollowedJob job, int turn, Instant now) {
    if (job.lastScan.equals(Instant.EPOCH)) {
      return true;
    }
    LogDirectory first = null;
    for (Path p : job.dirs) {
      LogDirectory d = dirs.get(p);
      if (d == null || !d.watched()) {
        return Duration.between(job.lastScan, now).compareTo(settings.scanInterval()) >= 0;
      }
      first = first == null ? d : first;
    }
    return first == null || first.slot == turn;
  }

  /** Runs on the watcher's thread: schedules one drain of the collected changes. */
  private void changesArrived() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        thread.execute(this::drainSafely);
      } catch (RuntimeException e) {
        drainScheduled.set(false); // closed
      }
    }
  }

  private void drainSafely() {
    try {
      drain();
    } catch (RuntimeException e) {
      log.warn("reading notified log files failed; the next poll reads them: {}", e.toString());
    }
  }

  /** Reads what the notifications named: changed files, created files, whole directories. */
  void drain() {
    drainScheduled.set(false);
    DirectoryWatcher w = watcher;
    if (w == null) {
      return;
    }
    Instant now = clock.instant();
    Map<Long, ActiveAttempt> active = latest;
    for (DirectoryWatcher.Changes c : w.drain()) {
      LogDirectory d = dirs.get(c.dir());
      if (d == null) {
        continue; // no longer followed
      }
      if (c.lost() && d.key != null) {
        log.debug("{} is no longer watched: polled from now on", d.path);
        d.key = null;
        d.retry = true;
      }
      if (c.everything()) {
        List<FollowedJob> users = new ArrayList<>();
        for (long id : d.jobIds) {
          FollowedJob job = jobs.get(id);
          if (job != null && active.containsKey(id) && job.attempt.running()) {
            users.add(job);
          }
        }
        scan(users, now);
        for (long id : d.jobIds) {
          FollowedJob job = jobs.get(id);
          if (job != null) {
            for (FollowedFile f : job.files.values()) {
              if (f.dir == d) {
                read(job, f, now);
              }
            }
          }
        }
        continue;
      }
      if (!c.created().isEmpty()) {
        adoptCreated(d, c.created(), active);
      }
      for (Path file : c.files()) {
        List<FollowedFile> followed = byPath.get(file);
        if (followed != null) {
          for (FollowedFile f : followed) {
            read(f.job, f, now);
          }
        }
      }
    }
  }

  /**
   * A step log taken while ajr still saw the previous attempt running (the job was requeued and
   * started again between two looks at Slurm, and the new attempt's file appeared first) belongs to
   * the new attempt when it was written since that attempt started; its next lines go there.
   */
  private void reattributeStepLogs(FollowedJob job) {
    ActiveAttempt a = job.attempt;
    for (FollowedFile f : job.files.values()) {
      if (f.attempt == FollowedFile.CURRENT_ATTEMPT || f.attempt >= a.attemptIndex()) {
        continue;
      }
      if (JobLogFiles.attemptOf(f.follower.path(), a.attemptIndex(), a.startTime())
          == a.attemptIndex()) {
        log.debug(
            "{} was written since attempt {} started: its lines belong to it",
            f.follower.path(),
            a.attemptIndex());
        f.attempt = a.attemptIndex();
      }
    }
  }

  /** Follows the files created in the directory that belong to a job using it. */
  private void adoptCreated(LogDirectory d, Set<Path> created, Map<Long, ActiveAttempt> active) {
    for (Path file : created) {
      List<Long> owners = JobLogFiles.owners(file.getFileName().toString(), d.jobIds);
      for (long id : d.jobIds) {
        FollowedJob job = jobs.get(id);
        if (job == null || !active.containsKey(id) || !job.attempt.running()) {
          continue;
        }
        ActiveAttempt a = job.attempt;
        boolean output = file.toString().equals(a.stdOut()) || file.toString().equals(a.stdErr());
        boolean stepLog = owners.contains(id) && d.path.equals(workDirOf(a));
        if ((output || stepLog) && Files.isRegularFile(file)) {
          follow(job, file);
        }
      }
    }
  }

  /** Standard output is reused by the next attempt: truncated, or appended to. */
  private void checkSharedFiles(FollowedJob job) {
    for (FollowedFile f : job.files.values()) {
      if (f.attempt == FollowedFile.CURRENT_ATTEMPT) {
        try {
          if (f.follower.checkRewritten()) {
            log.debug(
                "{} was rewritten for attempt {}", f.follower.path(), job.attempt.attemptIndex());
          }
        } catch (IOException e) {
          log.debug("cannot check {}: {}", f.follower.path(), e.toString());
        }
      }
    }
  }

  /** Looks for new files of the jobs, listing each working directory once. */
  private void scan(List<FollowedJob> due, Instant now) {
    Map<Path, Set<Long>> byWorkDir = new LinkedHashMap<>();
    for (FollowedJob job : due) {
      job.lastScan = now;
      Path workDir = workDirOf(job.attempt);
      if (workDir != null) {
        byWorkDir.computeIfAbsent(workDir, k -> new HashSet<>()).add(job.jobId);
      }
      retryWatches(job);
    }
    Map<Path, Map<Long, List<Path>>> found = new HashMap<>();
    byWorkDir.forEach((dir, ids) -> found.put(dir, JobLogFiles.find(dir, ids)));
    for (FollowedJob job : due) {
      ActiveAttempt a = job.attempt;
      List<Path> candidates = new ArrayList<>(outputsOf(a));
      Path workDir = workDirOf(a);
      if (workDir != null) {
        candidates.addAll(found.get(workDir).getOrDefault(job.jobId, List.of()));
      }
      for (Path path : candidates) {
        follow(job, path);
      }
    }
  }

  /** Starts following a file of the job, unless it is followed already or does not exist. */
  private void follow(FollowedJob job, Path path) {
    Path key = path.toAbsolutePath().normalize();
    if (job.files.containsKey(key) || !Files.exists(key)) {
      return;
    }
    ActiveAttempt a = job.attempt;
    boolean shared = key.toString().equals(a.stdOut()) || key.toString().equals(a.stdErr());
    int attempt =
        shared
            ? FollowedFile.CURRENT_ATTEMPT
            : JobLogFiles.attemptOf(key, a.attemptIndex(), a.startTime());
    FileFollower follower = new FileFollower(key, settings.maxLineBytes());
    Optional<LogOffsets.Saved> saved = positions.load(a.jobId(), key);
    boolean resumed = false;
    if (saved.isPresent()) {
      try {
        resumed = follower.restore(saved.get().checkpoint());
        if (resumed) {
          attempt = shared ? FollowedFile.CURRENT_ATTEMPT : saved.get().attempt();
        }
      } catch (IOException e) {
        log.debug("cannot resume {}: {}", key, e.toString());
      }
    }
    LogDirectory dir = attach(job, key.getParent());
    FollowedFile f = new FollowedFile(job, follower, attempt, dir, nextSlot());
    if (resumed) {
      f.handled = saved.get().checkpoint();
      f.saved = f.handled;
    }
    job.files.put(key, f);
    byPath.computeIfAbsent(key, k -> new ArrayList<>(1)).add(f);
    log.debug("following {} for job {} attempt {}", key, a.jobId(), attempt);
  }

  /** Watches (or polls) the directories the job's files are in or appear in. */
  private void attachDirectories(FollowedJob job) {
    ActiveAttempt a = job.attempt;
    Path workDir = workDirOf(a);
    if (workDir != null) {
      attach(job, workDir);
    }
    for (Path output : outputsOf(a)) {
      Path parent = output.toAbsolutePath().normalize().getParent();
      if (parent != null) {
        attach(job, parent);
      }
    }
  }

  private LogDirectory attach(FollowedJob job, Path dir) {
    LogDirectory d = dirs.get(dir);
    if (d == null) {
      d = new LogDirectory(dir, nextSlot());
      dirs.put(dir, d);
      register(d);
    }
    d.jobIds.add(job.jobId);
    job.dirs.add(dir);
    return d;
  }

  /** The round of the safety poll a new file or directory takes its turn in. */
  private int nextSlot() {
    nextSlot = (nextSlot + 1) % safetyRounds;
    return nextSlot;
  }

  private void register(LogDirectory d) {
    DirectoryWatcher w = watcher;
    if (w == null) {
      return;
    }
    if (!Files.isDirectory(d.path)) {
      d.retry = true; // not there yet: tried again when the job's directories are listed
      return;
    }
    d.retry = false;
    d.key = w.watch(d.path).orElse(null);
  }

  private void retryWatches(FollowedJob job) {
    for (Path p : job.dirs) {
      LogDirectory d = dirs.get(p);
      if (d != null && d.retry) {
        register(d);
      }
    }
  }

  /** Drops the job: its files, its positions and its share of the watched directories. */
  private void forget(FollowedJob job) {
    jobs.remove(job.jobId);
    for (Path file : job.files.keySet()) {
      List<FollowedFile> followed = byPath.get(file);
      if (followed != null) {
        followed.removeIf(f -> f.job == job);
        if (followed.isEmpty()) {
          byPath.remove(file);
        }
      }
    }
    for (Path p : job.dirs) {
      LogDirectory d = dirs.get(p);
      if (d != null && d.jobIds.remove(job.jobId) && d.jobIds.isEmpty()) {
        dirs.remove(p);
        DirectoryWatcher w = watcher;
        if (d.key != null && w != null) {
          w.cancel(d.key);
        }
      }
    }
    positions.forget(job.jobId);
  }

  private static Path workDirOf(ActiveAttempt a) {
    return a.workDir().isEmpty() ? null : Path.of(a.workDir()).toAbsolutePath().normalize();
  }

  /** The job's standard output and error, when known and resolved. */
  private static List<Path> outputsOf(ActiveAttempt a) {
    Set<Path> outputs = new LinkedHashSet<>();
    for (String output : List.of(a.stdOut(), a.stdErr())) {
      if (!output.isEmpty() && !output.contains("%")) {
        outputs.add(Path.of(output));
      }
    }
    return List.copyOf(outputs);
  }

  /**
   * Reads what was appended to the file, up to {@code maxBytesPerPoll}, into the job's queue; while
   * the queue has no room the file is held back, and read on when it has ({@link #roomFreed}).
   */
  private void read(FollowedJob job, FollowedFile f, Instant now) {
    f.fresh = false;
    f.heldBack = false;
    int budget = settings.maxBytesPerPoll();
    while (budget > 0) {
      long room = job.lines.room();
      if (room <= 0) {
        f.heldBack = true;
        return;
      }
      Batch batch = new Batch(job, f, now, room);
      int n;
      try {
        n = f.follower.poll(batch, budget);
      } catch (IOException e) {
        log.debug("cannot read {} now: {}", f.follower.path(), e.toString());
        return;
      } finally {
        if (!batch.entries.isEmpty()) {
          batch.entries.add(new JobLines.Handled(f, f.follower.checkpoint()));
          job.lines.add(batch.entries);
        }
      }
      if (!batch.full()) {
        return; // the end of the file, for now
      }
      budget -= n;
    }
  }

  /**
   * The lines of one read of a file, for the job's queue; full once they take the room the queue
   * had, so that the read stops (after the buffer it is in) and the rest waits in the file.
   */
  private static final class Batch implements FileFollower.LineSink {
    final List<JobLines.Entry> entries = new ArrayList<>();
    private final FollowedJob job;
    private final FollowedFile file;
    private final String source;
    private final Instant now;
    private final long room;
    private long memory;

    Batch(FollowedJob job, FollowedFile file, Instant now, long room) {
      this.job = job;
      this.file = file;
      this.source = file.follower.path().toString();
      this.now = now;
      this.room = room;
    }

    @Override
    public void line(String text, long lineNumber, Instant writtenAt, boolean truncated) {
      ActiveAttempt a = job.attempt;
      int attempt = file.attempt;
      if (attempt == FollowedFile.CURRENT_ATTEMPT) {
        // A waiting attempt writes nothing: what comes in while the job waits (the end of a
        // requeued run) belongs to the attempt before.
        attempt = a.running() || a.attemptIndex() == 0 ? a.attemptIndex() : a.attemptIndex() - 1;
      }
      String node = a.nodes().size() == 1 ? a.nodes().get(0) : "";
      LogLine line =
          new LogLine(text, source, lineNumber, writtenAt, now, truncated, Evidence.JOB_OUTPUT);
      JobLines.Line queued = new JobLines.Line(attempt, node, line);
      entries.add(queued);
      memory += JobLines.memoryOf(queued);
    }

    @Override
    public boolean full() {
      return memory >= room;
    }
  }

  /**
   * Stops reading and handling: lines read and not handled yet are dropped, and read again after a
   * restart (their positions were not saved). Waits up to 5 s for the lines being handled.
   */
  @Override
  public void close() {
    DirectoryWatcher w = watcher;
    if (w != null) {
      w.close();
    }
    thread.shutdownNow();
    if (ownHandlers != null) {
      ownHandlers.shutdownNow();
    }
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
      if (ownHandlers != null) {
        ownHandlers.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
