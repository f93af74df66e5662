package dev.ajr.slurm;

import dev.ajr.core.scheduler.SchedulerJob;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what Slurm's accounting ({@code sacct -X -n -P -D}, one line per run of the job, requeued
 * runs included) says of one job. Only fields Slurm writes itself are asked for, so {@code |} never
 * appears inside a value. Pure.
 */
final class SacctRuns {

  /** The {@code --format} ajr asks for, in this order. */
  static final String FORMAT = "JobID,State,ExitCode,Submit,Start,End,NodeList";

  private SacctRuns() {}

  /**
   * The job as of its last run, with a restart count of the runs before it, or empty when the
   * accounting has no run of it. Times are epoch seconds ({@code SLURM_TIME_FORMAT=%s}).
   *
   * @throws IOException when a line does not have the fields asked for
   */
  static Optional<SchedulerJob> lastRun(long jobId, String output) throws IOException {
    List<String[]> runs = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\\|", -1);
      if (f.length != 7) {
        throw new IOException("sacct printed a line ajr cannot read: " + line.strip());
      }
      if (f[0].equals(Long.toString(jobId))) {
        runs.add(f);
      }
    }
    if (runs.isEmpty()) {
      return Optional.empty();
    }
    String[] last = runs.get(runs.size() - 1);
    // "CANCELLED by 0": the state is the first word.
    String state = last[1].strip().split(" ", 2)[0];
    String nodes = last[6].strip();
    return Optional.of(
        new SchedulerJob(
            jobId,
            "",
            "",
            "",
            state,
            "",
            runs.size() - 1,
            "",
            SlurmHostlist.expand(nodes.equals("None assigned") ? "" : nodes),
            SlurmTime.of(last[3]),
            SlurmTime.of(last[4]),
            "PENDING".equals(state) || "RUNNING".equals(state) ? null : SlurmTime.of(last[5]),
            null,
            exitCode(last[2]),
            "",
            "",
            "",
            false,
            List.of(),
            "",
            true,
            0));
  }

  /** {@code exit:signal} as ajr's exit code: 128 + signal when killed by one. */
  static Integer exitCode(String value) {
    String[] parts = value.strip().split(":");
    try {
      int exit = Integer.parseInt(parts[0]);
      int signal = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return signal != 0 ? 128 + signal : exit;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
