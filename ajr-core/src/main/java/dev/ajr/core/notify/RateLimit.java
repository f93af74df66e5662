package dev.ajr.core.notify;

import java.time.Duration;

/** At most {@code messages} messages to one recipient of a destination within {@code per}. */
public record RateLimit(int messages, Duration per) {

  public RateLimit {
    if (messages < 1 || per.isNegative() || per.isZero()) {
      throw new IllegalArgumentException("a rate limit is at least 1 message per a positive time");
    }
  }
}
