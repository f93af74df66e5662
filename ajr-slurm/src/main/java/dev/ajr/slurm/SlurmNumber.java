package dev.ajr.slurm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A number as Slurm's JSON prints it, in either shape:
 *
 * <ul>
 *   <li>plain, {@code 1795782920} (Slurm 22.05; times and counts of 23.02), or {@code null} for
 *       none;
 *   <li>wrapped, {@code {"set": true, "infinite": false, "number": 1795782920}} (data_parser 0.0.39
 *       and later: 23.02 to 24.11), where {@code "set": false} is Slurm's NO_VAL and {@code
 *       "infinite": true} its INFINITE.
 * </ul>
 *
 * Pure.
 */
final class SlurmNumber {

  private SlurmNumber() {}

  /** The number, or null when Slurm gives none: absent, null, not set, infinite or not a number. */
  static Long of(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isObject()) {
      boolean set = node.path("set").asBoolean(true);
      boolean infinite = node.path("infinite").asBoolean(false);
      return set && !infinite ? of(node.get("number")) : null;
    }
    return node.isNumber() && node.canConvertToLong() ? node.asLong() : null;
  }
}
