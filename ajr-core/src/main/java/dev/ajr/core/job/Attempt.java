package dev.ajr.core.job;

import java.time.Instant;
import java.util.List;

/**
 * One execution of a job id. The index is Slurm's restart count: 0 for the first run.
 *
 * @param startTime when it started running, or null while pending
 * @param endTime when it ended, or null while pending or running
 * @param exitCode the exit code Slurm reported, or null when unknown
 * @param endReason why it ended, in words (empty when it has not ended or nothing is known)
 */
public record Attempt(
    long jobId,
    int index,
    AttemptState state,
    List<String> nodes,
    Instant startTime,
    Instant endTime,
    Integer exitCode,
    String endReason) {

  public Attempt {
    nodes = List.copyOf(nodes);
    endReason = endReason == null ? "" : endReason;
  }

  public static Attempt pending(long jobId, int index) {
    return new Attempt(jobId, index, AttemptState.PENDING, List.of(), null, null, null, "");
  }

  public Attempt ended(AttemptState finalState, Instant at, Integer code, String reason) {
    return new Attempt(
        jobId,
        index,
        finalState,
        nodes,
        startTime,
        endTime == null ? at : endTime,
        code == null ? exitCode : code,
        reason);
  }
}
