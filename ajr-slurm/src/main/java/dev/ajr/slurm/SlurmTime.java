package dev.ajr.slurm;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** Reads a time as Slurm's text commands print it. Pure. */
final class SlurmTime {

  private SlurmTime() {}

  /**
   * A time as epoch seconds ({@code SLURM_TIME_FORMAT=%s}, which ajr sets) or, when that setting
   * did not reach the command, Slurm's standard local form; null for none ({@code N/A}, {@code
   * Unknown}, {@code None}, 0).
   */
  static Instant of(String text) {
    String value = text.strip();
    if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
      long seconds = Long.parseLong(value);
      return seconds <= 0 ? null : Instant.ofEpochSecond(seconds);
    }
    // Most jobs of a large queue have no start or end ("N/A"): no exception for those.
    if (value.length() < 19 || value.charAt(4) != '-' || value.charAt(10) != 'T') {
      return null;
    }
    try {
      return LocalDateTime.parse(value).atZone(ZoneId.systemDefault()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
