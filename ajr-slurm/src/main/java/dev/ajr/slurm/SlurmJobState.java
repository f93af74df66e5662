package dev.ajr.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A job's state in the words ajr's tracking and recovery use: a base state (PENDING, RUNNING,
 * SUSPENDED, COMPLETED, CANCELLED, FAILED, TIMEOUT, NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE,
 * OUT_OF_MEMORY), or one of the transitions COMPLETING (the run ended and Slurm is still cleaning
 * up after it: ajr counts the job as running and waits before its next action), REQUEUED (the run
 * ended and Slurm is about to requeue the job) and CONFIGURING (nodes booting for the run). Slurm
 * prints the state in two shapes, read here into the same words:
 *
 * <ul>
 *   <li>an array (data_parser 0.0.40 and later: 23.11, 24.05, 24.11), the base state followed by
 *       its flags, {@code ["PENDING", "REQUEUED"]}: the base state decides, except that a
 *       COMPLETING or STAGE_OUT flag reads as COMPLETING, and a REQUEUED flag on a run that ended
 *       reads as REQUEUED. A pending job is PENDING whatever its flags: {@code ["PENDING",
 *       "REQUEUED"]} is a job waiting to run again after a requeue (its restart count has already
 *       moved), and {@code ["PENDING", "RESV_DEL_HOLD"]} a held one;
 *   <li>a single word (Slurm 22.05 and 23.02), where Slurm puts the first of its flags in place of
 *       the base state: the words it has for a held pending job (REQUEUE_HOLD, SPECIAL_EXIT,
 *       RESV_DEL_HOLD) read as PENDING, those for a running job that is being signalled, stopped or
 *       resized as RUNNING, and STAGE_OUT as COMPLETING; every other word is kept.
 * </ul>
 *
 * Pure.
 */
final class SlurmJobState {

  private static final Set<String> BASE_STATES =
      Set.of(
          "PENDING",
          "RUNNING",
          "SUSPENDED",
          "COMPLETED",
          "CANCELLED",
          "FAILED",
          "TIMEOUT",
          "NODE_FAIL",
          "PREEMPTED",
          "BOOT_FAIL",
          "DEADLINE",
          "OUT_OF_MEMORY");

  /** The states of a run that has no end yet, in the words {@link #of} gives. */
  private static final Set<String> NOT_ENDED =
      Set.of("PENDING", "RUNNING", "SUSPENDED", "CONFIGURING", "REQUEUED");

  private SlurmJobState() {}

  /** Whether a run in this state (as {@link #of} gives it) has an end time worth reading. */
  static boolean hasEnded(String state) {
    return !NOT_ENDED.contains(state);
  }

  /** The state of either shape; empty when Slurm gives none. */
  static String of(JsonNode node) {
    if (node == null || node.isNull()) {
      return "";
    }
    if (!node.isArray()) {
      return ofWord(node.asText());
    }
    List<String> words = new ArrayList<>();
    node.forEach(word -> words.add(word.asText()));
    String base = words.stream().filter(BASE_STATES::contains).findFirst().orElse("");
    return base.isEmpty() && !words.isEmpty() ? ofWord(words.get(0)) : fromBase(base, words);
  }

  private static String fromBase(String base, List<String> flags) {
    if (flags.contains("COMPLETING") || flags.contains("STAGE_OUT")) {
      return "COMPLETING";
    }
    if (flags.contains("REQUEUED") && !"PENDING".equals(base)) {
      return "REQUEUED";
    }
    return base;
  }

  /** The state of a one-word form, as {@code squeue}'s text form prints it too. */
  static String ofWord(String word) {
    return switch (word) {
      case "REQUEUE_HOLD", "SPECIAL_EXIT", "RESV_DEL_HOLD" -> "PENDING";
      case "SIGNALING", "STOPPED", "RESIZING" -> "RUNNING";
      case "STAGE_OUT" -> "COMPLETING";
      default -> word;
    };
  }
}
