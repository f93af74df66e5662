package dev.ajr.core.recovery;

import java.time.Duration;

/** Waits between polls and retries. Tests pass one that only advances a fake clock. */
@FunctionalInterface
public interface Pacer {

  void pause(Duration duration) throws InterruptedException;

  Pacer REAL = duration -> Thread.sleep(duration.toMillis());
}
