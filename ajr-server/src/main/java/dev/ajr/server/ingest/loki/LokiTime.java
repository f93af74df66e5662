package dev.ajr.server.ingest.loki;

import java.time.Instant;

/** Conversions between instants and Loki's Unix epoch nanoseconds. */
final class LokiTime {

  private LokiTime() {}

  /** Unix epoch nanoseconds, saturating outside the years 1678 to 2262. */
  static long toNanos(Instant instant) {
    try {
      return Math.addExact(
          Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    } catch (ArithmeticException e) {
      return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static Instant toInstant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
