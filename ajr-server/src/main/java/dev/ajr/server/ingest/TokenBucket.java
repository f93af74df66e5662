package dev.ajr.server.ingest;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled at {@code perSecond}; starts full.
 * Time is given by the caller in nanoseconds, so the bucket is a pure function of what it was told.
 * Not thread-safe.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  private final double capacity;
  private final double perSecond;
  private double tokens;
  private long lastNanos;

  TokenBucket(long capacity, long perSecond, long nowNanos) {
    if (capacity < 1 || perSecond < 1) {
      throw new IllegalArgumentException("capacity and rate must be positive");
    }
    this.capacity = capacity;
    this.perSecond = perSecond;
    this.tokens = capacity;
    this.lastNanos = nowNanos;
  }

  /**
   * Takes {@code n} tokens when there are that many.
   *
   * @return 0 when they were taken, else the nanoseconds until there will be enough (nothing is
   *     taken); never 0 for {@code n} over the capacity, which can never be taken
   */
  long take(long n, long nowNanos) {
    refill(nowNanos);
    if (n <= tokens) {
      tokens -= n;
      return 0;
    }
    if (n > capacity) {
      return Long.MAX_VALUE;
    }
    return Math.max(1, (long) Math.ceil((n - tokens) / perSecond * NANOS_PER_SECOND));
  }

  /** Puts back tokens taken for something that did not happen, up to the capacity. */
  void giveBack(long n, long nowNanos) {
    refill(nowNanos);
    tokens = Math.min(capacity, tokens + n);
  }

  /** Whether the bucket is full: forgetting it changes nothing. */
  boolean full(long nowNanos) {
    refill(nowNanos);
    return tokens >= capacity;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed / NANOS_PER_SECOND * perSecond);
      lastNanos = nowNanos;
    }
  }
}
