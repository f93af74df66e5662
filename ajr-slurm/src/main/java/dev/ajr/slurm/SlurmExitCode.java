package dev.ajr.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * A job's exit code as ajr reports it: the batch script's return code, or 128 + the signal that
 * killed it (139 for SIGSEGV), as a shell would; null while Slurm does not know it. Slurm prints it
 * in two shapes:
 *
 * <ul>
 *   <li>the wait status of the script, plain ({@code 768} for exit 3; Slurm 22.05 and 23.02.0 to
 *       23.02.3) or wrapped as a number ({@code {"set": true, "infinite": false, "number": 768}};
 *       23.02.4 and later 23.02);
 *   <li>an object (data_parser 0.0.40 and later: 23.11, 24.05, 24.11): {@code {"status":
 *       ["SIGNALED"], "return_code": {"set": false, ...}, "signal": {"id": {"set": true, "number":
 *       11}, "name": "SEGV"}}}, the status one of PENDING, SUCCESS, ERROR, SIGNALED, CORE_DUMPED or
 *       INVALID.
 * </ul>
 *
 * Pure.
 */
final class SlurmExitCode {

  private SlurmExitCode() {}

  /** The exit code of either shape, or null when unknown. */
  static Integer of(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isObject() && node.has("status")) {
      return fromStatusObject(node);
    }
    Long waitStatus = SlurmNumber.of(node);
    return waitStatus == null ? null : fromWaitStatus(waitStatus);
  }

  /** The exit code from a wait status: its high byte, or 128 + the signal that ended it. */
  static int fromWaitStatus(long waitStatus) {
    int signal = (int) (waitStatus & 0x7f);
    return signal != 0 ? 128 + signal : (int) ((waitStatus >> 8) & 0xff);
  }

  /**
   * A signal wins over the return code; a status of PENDING (no exit yet) or INVALID, or a signaled
   * exit whose signal is not given, is unknown: a killed job never reads as a success.
   */
  private static Integer fromStatusObject(JsonNode node) {
    Set<String> status = words(node.get("status"));
    if (status.contains("PENDING") || status.contains("INVALID")) {
      return null;
    }
    Long signal = SlurmNumber.of(node.path("signal").get("id"));
    if (signal != null && signal > 0) {
      return 128 + signal.intValue();
    }
    if (status.contains("SIGNALED") || status.contains("CORE_DUMPED")) {
      return null;
    }
    Long returnCode = SlurmNumber.of(node.get("return_code"));
    return returnCode == null ? null : returnCode.intValue();
  }

  /** The words of a flag array, or of a single string. */
  private static Set<String> words(JsonNode node) {
    Set<String> words = new HashSet<>();
    if (node != null && node.isArray()) {
      node.forEach(word -> words.add(word.asText()));
    } else if (node != null && node.isTextual()) {
      words.add(node.asText());
    }
    return words;
  }
}
