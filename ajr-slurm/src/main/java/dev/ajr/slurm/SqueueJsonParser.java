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
 * Parses the output of {@code squeue --json} (Slurm 22.05, data_parser 0.0.38) into {@link
 * SchedulerJob}s. Tolerates later formats where numbers are wrapped as {@code {"set": true,
 * "number": N}} and states are arrays. Pure and thread-safe.
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

  static SchedulerJob toJob(JsonNode j) {
    String state = text(j, "job_state");
    String reason = text(j, "state_reason");
    long priority = number(j, "priority", -1);
    boolean held = priority == 0 || reason.startsWith("JobHeld");
    Long exitStatus = j.has("exit_code") ? numberOrNull(j.get("exit_code")) : null;
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
        isEnded(state) ? time(j, "end_time") : null,
        time(j, "eligible_time"),
        exitStatus == null ? null : decodeExit(exitStatus),
        text(j, "current_working_directory"),
        text(j, "standard_output"),
        text(j, "standard_error"),
        held,
        SlurmHostlist.expand(text(j, "excluded_nodes")),
        text(j, "dependency"),
        !j.has("batch_flag") || j.get("batch_flag").asBoolean(true),
        gpus(j));
  }

  private static final java.util.regex.Pattern GPUS =
      java.util.regex.Pattern.compile("(?:^|,)gres/gpu(?::[^=,]+)?=(\\d+)");

  /**
   * The GPUs of a job from its TRES strings: allocated when it has run, else requested. Typed
   * entries ({@code gres/gpu:a100=8}) are counted as well; the untyped total wins when both are
   * given.
   */
  static int gpus(JsonNode j) {
    String tres = text(j, "tres_alloc_str");
    if (tres.isEmpty()) {
      tres = text(j, "tres_req_str");
    }
    int untyped = -1;
    int typed = 0;
    for (String part : tres.split(",")) {
      java.util.regex.Matcher m = GPUS.matcher(part);
      if (m.find()) {
        int n = Integer.parseInt(m.group(1));
        if (part.startsWith("gres/gpu=")) {
          untyped = n;
        } else {
          typed += n;
        }
      }
    }
    return untyped >= 0 ? untyped : typed;
  }

  /** The exit code from a wait status: the high byte, or 128 + signal when killed by one. */
  static int decodeExit(long waitStatus) {
    int signal = (int) (waitStatus & 0x7f);
    return signal != 0 ? 128 + signal : (int) ((waitStatus >> 8) & 0xff);
  }

  private static boolean isEnded(String state) {
    return !List.of("PENDING", "RUNNING", "SUSPENDED", "CONFIGURING", "REQUEUED").contains(state);
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
    Long value = j.has(field) ? numberOrNull(j.get(field)) : null;
    return value == null ? fallback : value;
  }

  private static Long numberOrNull(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isObject()) {
      if (node.has("set") && !node.get("set").asBoolean()) {
        return null;
      }
      if (node.has("infinite") && node.get("infinite").asBoolean()) {
        return null;
      }
      if (node.has("return_code")) {
        return numberOrNull(node.get("return_code"));
      }
      return numberOrNull(node.get("number"));
    }
    return node.canConvertToLong() ? node.asLong() : null;
  }

  private static Instant time(JsonNode j, String field) {
    Long seconds = j.has(field) ? numberOrNull(j.get(field)) : null;
    return seconds == null || seconds <= 0 ? null : Instant.ofEpochSecond(seconds);
  }
}
