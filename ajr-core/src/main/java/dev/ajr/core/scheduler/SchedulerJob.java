package dev.ajr.core.scheduler;

import java.time.Instant;
import java.util.List;

/**
 * What the scheduler says about one job at one moment. Times are null when the scheduler has none.
 *
 * @param state the Slurm job state, for example {@code RUNNING} or {@code PENDING}
 * @param stateReason the Slurm reason, for example {@code JobHeldUser} or {@code BeginTime}
 * @param restartCount Slurm's restart count: the index of the current attempt
 * @param held true when the job is held (priority 0 or a held reason)
 * @param beginTime the earliest time the job may start
 * @param exitCode the exit code of the batch script, or null when unknown
 * @param excludedNodes the nodes the job must not run on
 * @param batch true for a batch job (only batch jobs can be requeued)
 * @param stdOut the standard output path, possibly empty or still holding {@code %} patterns
 * @param stdErr the standard error path, possibly empty
 * @param gpus the GPUs allocated (or, before the start, requested), 0 when none
 */
public record SchedulerJob(
    long jobId,
    String name,
    String user,
    String partition,
    String state,
    String stateReason,
    int restartCount,
    String comment,
    List<String> nodes,
    Instant submitTime,
    Instant startTime,
    Instant endTime,
    Instant beginTime,
    Integer exitCode,
    String workDir,
    String stdOut,
    String stdErr,
    boolean held,
    List<String> excludedNodes,
    String dependency,
    boolean batch,
    int gpus) {

  public SchedulerJob {
    nodes = List.copyOf(nodes);
    excludedNodes = List.copyOf(excludedNodes);
  }

  public boolean isPending() {
    return "PENDING".equals(state);
  }

  public boolean isRunning() {
    return "RUNNING".equals(state) || "COMPLETING".equals(state) || "CONFIGURING".equals(state);
  }

  /** True when this run of the job has ended (the job may still be requeued). */
  public boolean isFinished() {
    return !isPending() && !isRunning() && !"SUSPENDED".equals(state) && !"REQUEUED".equals(state);
  }

  public SchedulerJob withOutputs(String out, String err) {
    return new SchedulerJob(
        jobId,
        name,
        user,
        partition,
        state,
        stateReason,
        restartCount,
        comment,
        nodes,
        submitTime,
        startTime,
        endTime,
        beginTime,
        exitCode,
        workDir,
        out,
        err,
        held,
        excludedNodes,
        dependency,
        batch,
        gpus);
  }

  public SchedulerJob withExcludedNodes(List<String> excluded) {
    return new SchedulerJob(
        jobId,
        name,
        user,
        partition,
        state,
        stateReason,
        restartCount,
        comment,
        nodes,
        submitTime,
        startTime,
        endTime,
        beginTime,
        exitCode,
        workDir,
        stdOut,
        stdErr,
        held,
        excluded,
        dependency,
        batch,
        gpus);
  }
}
