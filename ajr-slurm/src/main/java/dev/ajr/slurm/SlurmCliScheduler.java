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

/**
 * The {@link Scheduler} port over Slurm's command-line tools ({@code squeue --json}, {@code
 * scontrol}, {@code scancel}).
 *
 * <p>{@code squeue --json} of Slurm 22.05 leaves {@code standard_output} empty for the default file
 * name and keeps {@code %} patterns unresolved, so the resolved paths are read once per job from
 * {@code scontrol show job -o} and cached (bounded); from 23.02 on it prints the resolved paths. A
 * command that cannot reach the controller or times out is a transient failure; a refusal is not.
 * Thread-safe.
 */
public final class SlurmCliScheduler implements Scheduler {

  private static final int OUTPUT_CACHE_SIZE = 10_000;

  private final SlurmCommands slurm;
  private final SqueueJsonParser parser = new SqueueJsonParser();
  private final Map<Long, String[]> outputs =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String[]> eldest) {
          return size() > OUTPUT_CACHE_SIZE;
        }
      };

  public SlurmCliScheduler(CommandRunner runner, Duration timeout) {
    this.slurm = new SlurmCommands(runner, timeout);
  }

  @Override
  public List<SchedulerJob> jobs() throws SchedulerException {
    String json = slurm.run(List.of("squeue", "--json", "--states=all"), "list jobs");
    return withOutputs(parse(json));
  }

  @Override
  public Optional<SchedulerJob> job(long jobId) throws SchedulerException {
    // squeue --json of Slurm 22.05 ignores --jobs and every other filter: filter here.
    String json = slurm.run(List.of("squeue", "--json", "--states=all"), "look at job " + jobId);
    List<SchedulerJob> one = parse(json).stream().filter(j -> j.jobId() == jobId).toList();
    return withOutputs(one).stream().findFirst();
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
        // Slurm's default for both: slurm-<id>.out in the working directory.
        String out = job.workDir() + "/slurm-" + job.jobId() + ".out";
        result.add(job.withOutputs(out, out));
        continue;
      }
      String[] paths;
      synchronized (outputs) {
        paths = outputs.get(job.jobId());
      }
      if (paths == null) {
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
