package dev.ajr.slurm;

import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.core.scheduler.SchedulerJob;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link Scheduler} port over Slurm's command-line tools ({@code squeue}, {@code scontrol},
 * {@code scancel}).
 *
 * <p>The queue is read with {@code squeue} in a narrow text format ({@link SqueueText}, the
 * default) or as {@code squeue --json} ({@link ListingFormat#JSON}: about twenty times the bytes,
 * and Slurm 22.05 lists the whole queue even when asked for one job). One job is looked at with
 * {@code squeue -j}, which asks slurmctld for that job alone; in the JSON format it takes a whole
 * listing. In Slurm 22.05 neither form resolves {@code %} patterns in output paths (the JSON one
 * also leaves the default name empty; from 23.02 on it prints resolved paths), so resolved paths
 * are read once per job from {@code scontrol show job -o} and cached (bounded). A command that
 * cannot reach the controller or times out is a transient failure; a refusal is not. Thread-safe.
 */
public final class SlurmCliScheduler implements Scheduler {

  /** How the queue is read. */
  public enum ListingFormat {
    /** {@code squeue} with a narrow text format: the default. */
    TEXT,
    /** {@code squeue --json}, as ajr read it before the text format. */
    JSON
  }

  private static final int OUTPUT_CACHE_SIZE = 10_000;

  private final SlurmCommands slurm;
  private final ListingFormat format;
  private final Supplier<SqueueText> textFormat;
  private final SqueueJsonParser parser = new SqueueJsonParser();
  private volatile boolean noAccounting;
  private final Map<Long, String[]> outputs =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String[]> eldest) {
          return size() > OUTPUT_CACHE_SIZE;
        }
      };

  /** Reads the queue in the text format. */
  public SlurmCliScheduler(CommandRunner runner, Duration timeout) {
    this(runner, timeout, ListingFormat.TEXT);
  }

  public SlurmCliScheduler(CommandRunner runner, Duration timeout, ListingFormat format) {
    this(runner, timeout, format, SqueueText::fresh);
  }

  /**
   * @param textFormat a format for each call of {@code squeue} (tests fix its separator)
   */
  SlurmCliScheduler(
      CommandRunner runner,
      Duration timeout,
      ListingFormat format,
      Supplier<SqueueText> textFormat) {
    this.slurm = new SlurmCommands(runner, timeout);
    this.format = format;
    this.textFormat = textFormat;
  }

  /**
   * {@inheritDoc}
   *
   * <p>In the text format the jobs carry no excluded nodes ({@code squeue -O} has no such field);
   * {@link #job} reads them.
   */
  @Override
  public List<SchedulerJob> jobs() throws SchedulerException {
    if (format == ListingFormat.TEXT) {
      return withOutputs(listText(List.of("squeue", "-h", "--states=all"), "list jobs"));
    }
    String json = slurm.run(List.of("squeue", "--json", "--states=all"), "list jobs");
    return withOutputs(parse(json));
  }

  @Override
  public Optional<SchedulerJob> job(long jobId) throws SchedulerException {
    if (format == ListingFormat.TEXT) {
      return lookAtOne(jobId);
    }
    // squeue --json of Slurm 22.05 ignores --jobs and every other filter: filter here.
    String json = slurm.run(List.of("squeue", "--json", "--states=all"), "look at job " + jobId);
    List<SchedulerJob> one = parse(json).stream().filter(j -> j.jobId() == jobId).toList();
    return withOutputs(one).stream().findFirst();
  }

  private Optional<SchedulerJob> lookAtOne(long jobId) throws SchedulerException {
    String what = "look at job " + jobId;
    List<String> command = List.of("squeue", "-h", "--states=all", "--jobs=" + jobId);
    SqueueText text = textFormat.get();
    CommandRunner.CommandResult result = slurm.exec(command, text.environment(), what);
    if (!result.ok()) {
      if (result.stderr().contains("Invalid job id")) {
        return Optional.empty(); // Slurm no longer knows it
      }
      throw SlurmCommands.failure(what, result);
    }
    List<SchedulerJob> one =
        parseText(text, result.stdout()).stream().filter(j -> j.jobId() == jobId).toList();
    if (one.isEmpty()) {
      return Optional.empty();
    }
    String excluded =
        slurm.run(
            List.of(
                "squeue",
                "-h",
                "--states=all",
                "--jobs=" + jobId,
                "--format=" + SqueueText.EXCLUDED_FORMAT),
            "read the excluded nodes of job " + jobId);
    String nodes = excluded.strip();
    SchedulerJob job =
        one.get(0).withExcludedNodes(SlurmHostlist.expand(nodes.equals("(null)") ? "" : nodes));
    return withOutputs(List.of(job)).stream().findFirst();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Asks {@code sacct}; a cluster without accounting answers empty, and is not asked again.
   */
  @Override
  public Optional<SchedulerJob> fromAccounting(long jobId) throws SchedulerException {
    if (noAccounting) {
      return Optional.empty();
    }
    String what = "ask the accounting about job " + jobId;
    CommandRunner.CommandResult result =
        slurm.exec(
            List.of(
                "sacct", "-X", "-n", "-P", "-D", "--jobs=" + jobId, "--format=" + SacctRuns.FORMAT),
            Map.of("SLURM_TIME_FORMAT", "%s"),
            what);
    if (!result.ok()) {
      if (result.stderr().contains("accounting storage is disabled")) {
        noAccounting = true;
        return Optional.empty();
      }
      throw SlurmCommands.failure(what, result);
    }
    try {
      return SacctRuns.lastRun(jobId, result.stdout());
    } catch (IOException e) {
      throw new SchedulerException(e.getMessage(), true, e);
    }
  }

  private List<SchedulerJob> listText(List<String> command, String what) throws SchedulerException {
    SqueueText text = textFormat.get();
    return parseText(text, slurm.run(command, text.environment(), what));
  }

  private static List<SchedulerJob> parseText(SqueueText text, String output)
      throws SchedulerException {
    try {
      return text.parse(output);
    } catch (IOException e) {
      throw new SchedulerException(e.getMessage(), true, e);
    }
  }

  @Override
  public void requeueHold(long jobId) throws SchedulerException {
    slurm.run(
        List.of("scontrol", "requeuehold", Long.toString(jobId)), "requeue job " + jobId + " held");
  }

  @Override
  public void release(long jobId) throws SchedulerException {
    slurm.run(List.of("scontrol", "release", Long.toString(jobId)), "release job " + jobId);
  }

  @Override
  public void startAfter(long jobId, Duration delay) throws SchedulerException {
    long seconds = Math.max(0, delay.toSeconds());
    String when = seconds == 0 ? "now" : "now+" + seconds;
    slurm.run(
        List.of("scontrol", "update", "jobid=" + jobId, "StartTime=" + when),
        "let job " + jobId + " start now");
  }

  @Override
  public void cancel(long jobId) throws SchedulerException {
    slurm.run(List.of("scancel", Long.toString(jobId)), "cancel job " + jobId);
  }

  @Override
  public void excludeNodes(long jobId, List<String> nodes) throws SchedulerException {
    slurm.run(
        List.of("scontrol", "update", "jobid=" + jobId, "ExcNodeList=" + SlurmHostlist.join(nodes)),
        "exclude nodes from job " + jobId);
  }

  private List<SchedulerJob> parse(String json) throws SchedulerException {
    try {
      return parser.parse(json);
    } catch (IOException e) {
      throw new SchedulerException(
          "squeue --json printed output ajr cannot read: " + e.getMessage(), true, e);
    }
  }

  /**
   * The jobs with their output paths resolved, for the jobs whose paths ajr may read: a batch job
   * that runs, was requeued, mentions APS in its comment, or was resolved before (while it ran).
   * The others (most of a large queue: pending jobs that did not opt in, and finished ones ajr
   * never saw run, which it does not record) keep the paths as Slurm printed them: resolving costs
   * one {@code scontrol} call per job, which for a queue of 100,000 jobs written with {@code -o
   * %x_%j.out} would be 100,000 calls.
   */
  private List<SchedulerJob> withOutputs(List<SchedulerJob> jobs) throws SchedulerException {
    List<SchedulerJob> result = new ArrayList<>(jobs.size());
    for (SchedulerJob job : jobs) {
      // Both paths must be free of patterns: stderr (tracebacks, "Segmentation fault") may have
      // its own -e pattern next to a plain -o path.
      boolean resolved =
          !job.stdOut().isEmpty() && !job.stdOut().contains("%") && !job.stdErr().contains("%");
      if (resolved || !job.batch()) {
        result.add(job);
        continue;
      }
      if (job.stdOut().isEmpty() && job.stdErr().isEmpty() && !job.workDir().isEmpty()) {
        // Slurm's default for both: slurm-<id>.out in the working directory. (An array task's
        // is slurm-<array job>_<task>.out, which this listing cannot tell: a known gap.)
        String out = job.workDir() + "/slurm-" + job.jobId() + ".out";
        result.add(job.withOutputs(out, out));
        continue;
      }
      String[] paths;
      synchronized (outputs) {
        paths = outputs.get(job.jobId());
      }
      if (paths == null) {
        if (!job.isRunning() && job.restartCount() == 0 && !job.comment().contains("APS")) {
          result.add(job);
          continue;
        }
        paths = readOutputs(job.jobId());
        synchronized (outputs) {
          outputs.put(job.jobId(), paths);
        }
      }
      result.add(job.withOutputs(paths[0], paths[1]));
    }
    return result;
  }

  private String[] readOutputs(long jobId) throws SchedulerException {
    CommandRunner.CommandResult result =
        slurm.exec(
            List.of("scontrol", "show", "job", "-o", Long.toString(jobId)), "read job " + jobId);
    if (!result.ok()) {
      return new String[] {"", ""};
    }
    String line = result.stdout();
    return new String[] {
      ScontrolShowJob.field(line, "StdOut").orElse(""),
      ScontrolShowJob.field(line, "StdErr").orElse("")
    };
  }
}
