package dev.ajr.slurm.rest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A batch job's output paths as {@code scontrol show job} of Slurm 22.05 prints them ({@code
 * StdOut=}, {@code StdErr=}), from the fields of its JSON job object, which carries them as the job
 * was submitted: with {@code %} patterns, and empty for Slurm's default. The command-line adapter
 * reads those two fields from {@code scontrol}; slurmrestd has no such resolved form, so they are
 * made here the same way (a test holds both to the same recorded jobs):
 *
 * <ul>
 *   <li>{@code %A} the array's job id (the job's own id when it is not an array task), {@code %a}
 *       the array task id (Slurm's NO_VAL, 4294967294, when it is none), {@code %j} the job id,
 *       {@code %u} the user name, {@code %x} the job name; every other pattern is left as it is
 *       ({@code %N}, {@code %%}, padded forms like {@code %4j}), as {@code scontrol} leaves it;
 *   <li>a relative path is taken in the job's working directory;
 *   <li>no output path: {@code slurm-<id>.out} in the working directory ({@code slurm-<array
 *       job>_<task>.out} for an array task); no error path: the output path.
 * </ul>
 *
 * A job that is not a batch job keeps what Slurm gave, as with the command-line adapter. Pure.
 */
final class OutputPaths {

  /** Slurm's NO_VAL, printed for the task id of a job that is not an array task. */
  private static final String NO_VAL = "4294967294";

  private OutputPaths() {}

  /** {@code {stdout, stderr}} of the job object. */
  static String[] of(JsonNode job) {
    String out = text(job, "standard_output");
    String err = text(job, "standard_error");
    if (!job.path("batch_flag").asBoolean(true)) {
      return new String[] {out, err};
    }
    String resolvedOut = out.isEmpty() ? defaultPath(job) : format(job, out);
    String resolvedErr = err.isEmpty() ? resolvedOut : format(job, err);
    return new String[] {resolvedOut, resolvedErr};
  }

  private static String defaultPath(JsonNode job) {
    String dir = text(job, "current_working_directory");
    long arrayJob = job.path("array_job_id").asLong(0);
    if (arrayJob != 0) {
      return dir + "/slurm-" + arrayJob + "_" + taskId(job) + ".out";
    }
    return dir + "/slurm-" + text(job, "job_id") + ".out";
  }

  private static String format(JsonNode job, String pattern) {
    String jobId = text(job, "job_id");
    boolean arrayTask = job.hasNonNull("array_task_id");
    String path =
        pattern
            .replace("%A", arrayTask ? text(job, "array_job_id") : jobId)
            .replace("%a", taskId(job))
            .replace("%j", jobId)
            .replace("%u", text(job, "user_name"))
            .replace("%x", text(job, "name"));
    return path.startsWith("/") ? path : text(job, "current_working_directory") + "/" + path;
  }

  private static String taskId(JsonNode job) {
    return job.hasNonNull("array_task_id") ? text(job, "array_task_id") : NO_VAL;
  }

  private static String text(JsonNode job, String field) {
    JsonNode node = job.get(field);
    return node == null || node.isNull() ? "" : node.asText();
  }
}
