package dev.ajr.core.notify;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing worth telling someone, flattened from an event and the job it concerns.
 *
 * @param at when ajr learned of it
 * @param jobId the Slurm job id, or 0 for a node notice without a job
 * @param jobName the job's name, or empty
 * @param user the job's owner, or empty when unknown (then it goes to no owner)
 * @param partition the job's partition, or empty
 * @param cause the root cause ({@code NCCL_ERROR}, ...), or empty
 * @param node the node concerned, or empty
 * @param text one line for people
 */
public record Notice(
    NoticeKind kind,
    Instant at,
    long jobId,
    String jobName,
    String user,
    String partition,
    String cause,
    String node,
    String text) {

  public Notice {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    jobName = jobName == null ? "" : jobName;
    user = user == null ? "" : user;
    partition = partition == null ? "" : partition;
    cause = cause == null ? "" : cause;
    node = node == null ? "" : node;
    text = text == null ? "" : text;
  }
}
