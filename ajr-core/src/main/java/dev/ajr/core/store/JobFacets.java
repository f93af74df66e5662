package dev.ajr.core.store;

import java.util.List;

/**
 * The distinct values of the jobs list's filters, each sorted, for a person to choose from.
 *
 * @param users job owners
 * @param partitions Slurm partitions
 * @param causes root causes of anomalies ({@link dev.ajr.core.detect.Cause} names)
 * @param statuses job statuses ({@link dev.ajr.core.job.JobStatus} names)
 */
public record JobFacets(
    List<String> users, List<String> partitions, List<String> causes, List<String> statuses) {

  public JobFacets {
    users = List.copyOf(users);
    partitions = List.copyOf(partitions);
    causes = List.copyOf(causes);
    statuses = List.copyOf(statuses);
  }
}
