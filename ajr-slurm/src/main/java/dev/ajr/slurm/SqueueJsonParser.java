package dev.ajr.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.json.Json;
import dev.ajr.core.scheduler.SchedulerJob;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the output of {@code squeue --json} into {@link SchedulerJob}s, from Slurm 22.05
 * (data_parser 0.0.38) to 24.11 (data_parser 0.0.39 to 0.0.42). slurmrestd's {@code GET
 * /slurm/v0.0.XX/jobs} and {@code /job/{id}} answer with the same job objects. Across these
 * versions the fields ajr reads keep their names; three of their shapes change, each read by its
 * own helper: numbers and times ({@link SlurmNumber}), the state ({@link SlurmJobState}) and the
 * exit code ({@link SlurmExitCode}). Pure and thread-safe.
 */
public final class SqueueJsonParser {

  private static final ObjectMapper JSON = Json.MAPPER;

  public List<SchedulerJob> parse(String json) throws IOException {
    JsonNode root = JSON.readTree(json);
    if (root == null || !root.has("jobs")) {
      throw new IOException("squeue --json printed no \"jobs\" array");
    }
    List<SchedulerJob> jobs = new ArrayList<>();
    for (JsonNode job : root.get("jobs")) {
      jobs.add(toJob(job));
    }
    return jobs;
  }

  /**
   * One job object of {@code squeue --json} or of slurmrestd's {@code jobs} array. Its output paths
   * are as Slurm gives them (in 22.05 with {@code %} patterns, empty for the default).
   */
  public static SchedulerJob toJob(JsonNode j) {
    String state = SlurmJobState.of(j.get("job_state"));
    String reason = text(j, "state_reason");
    long priority = number(j, "priority", -1);
    // Slurm prints "hold" from 23.02.4 and 23.11.2 on; before, a priority of 0 is the hold.
    boolean held = j.path("hold").asBoolean(false) || priority == 0 || reason.startsWith("JobHeld");
    return new SchedulerJob(
        number(j, "job_id", 0),
        text(j, "name"),
        text(j, "user_name"),
        text(j, "partition"),
        state,
        reason,
        (int) number(j, "restart_cnt", 0),
        text(j, "comment"),
        SlurmHostlist.expand(text(j, "nodes")),
        time(j, "submit_time"),
        "PENDING".equals(state) ? null : time(j, "start_time"),
        SlurmJobState.hasEnded(state) ? time(j, "end_time") : null,
        time(j, "eligible_time"),
        SlurmExitCode.of(j.get("exit_code")),
        text(j, "current_working_directory"),
        text(j, "standard_output"),
        text(j, "standard_error"),
        held,
        SlurmHostlist.expand(text(j, "excluded_nodes")),
        text(j, "dependency"),
        !j.has("batch_flag") || j.get("batch_flag").asBoolean(true),
        gpus(j));
  }

  /**
   * The GPUs of a job from its TRES strings: allocated when it has run, else requested ({@link
   * Tres#gpus}).
   */
  static int gpus(JsonNode j) {
    String tres = text(j, "tres_alloc_str");
    return Tres.gpus(tres.isEmpty() ? text(j, "tres_req_str") : tres);
  }

  private static String text(JsonNode j, String field) {
    JsonNode node = j.get(field);
    if (node == null || node.isNull()) {
      return "";
    }
    if (node.isArray()) {
      List<String> parts = new ArrayList<>();
      node.forEach(n -> parts.add(n.asText()));
      return String.join(",", parts);
    }
    return node.asText();
  }

  private static long number(JsonNode j, String field, long fallback) {
    Long value = SlurmNumber.of(j.get(field));
    return value == null ? fallback : value;
  }

  /** A time in seconds since the epoch; Slurm's 0 means none. */
  private static Instant time(JsonNode j, String field) {
    Long seconds = SlurmNumber.of(j.get(field));
    return seconds == null || seconds <= 0 ? null : Instant.ofEpochSecond(seconds);
  }
}
