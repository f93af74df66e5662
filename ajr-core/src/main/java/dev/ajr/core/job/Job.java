package dev.ajr.core.job;

import java.time.Instant;

/**
 * A Slurm job tracked by ajr.
 *
 * @param jobId the Slurm job id
 * @param name the job name ({@code -J})
 * @param user the owner's user name
 * @param partition the partition
 * @param workDir the job's working directory, where step logs are looked for
 * @param stdOut the resolved standard output path, or empty when unknown
 * @param stdErr the resolved standard error path, or empty when unknown
 * @param comment the raw job comment
 * @param directive what the comment says about recovery
 * @param status ajr's view of the job
 * @param statusReason why the job has that status, in words for its owner (empty when obvious)
 * @param submitTime when the job was submitted, or null when unknown
 * @param firstSeen when ajr first saw the job
 * @param gpus the GPUs allocated to the job (0 when none or not known yet)
 */
public record Job(
    long jobId,
    String name,
    String user,
    String partition,
    String workDir,
    String stdOut,
    String stdErr,
    String comment,
    DirectiveResult directive,
    JobStatus status,
    String statusReason,
    Instant submitTime,
    Instant firstSeen,
    int gpus) {

  /** A job whose GPUs are not known yet. */
  public Job(
      long jobId,
      String name,
      String user,
      String partition,
      String workDir,
      String stdOut,
      String stdErr,
      String comment,
      DirectiveResult directive,
      JobStatus status,
      String statusReason,
      Instant submitTime,
      Instant firstSeen) {
    this(
        jobId,
        name,
        user,
        partition,
        workDir,
        stdOut,
        stdErr,
        comment,
        directive,
        status,
        statusReason,
        submitTime,
        firstSeen,
        0);
  }

  public Job withGpus(int newGpus) {
    return new Job(
        jobId,
        name,
        user,
        partition,
        workDir,
        stdOut,
        stdErr,
        comment,
        directive,
        status,
        statusReason,
        submitTime,
        firstSeen,
        newGpus);
  }

  public Job withStatus(JobStatus newStatus, String reason) {
    return new Job(
        jobId,
        name,
        user,
        partition,
        workDir,
        stdOut,
        stdErr,
        comment,
        directive,
        newStatus,
        reason,
        submitTime,
        firstSeen,
        gpus);
  }

  public Job withOutputs(String newStdOut, String newStdErr) {
    return new Job(
        jobId,
        name,
        user,
        partition,
        workDir,
        newStdOut,
        newStdErr,
        comment,
        directive,
        status,
        statusReason,
        submitTime,
        firstSeen,
        gpus);
  }

  /** True when the job opted in with a directive ajr can follow. */
  public boolean optedIn() {
    return directive instanceof DirectiveResult.Valid;
  }
}
