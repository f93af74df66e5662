package dev.ajr.server.metrics;

import io.micrometer.core.instrument.Counter;

/** The leader election's rounds by outcome. Thread-safe. */
final class LeaseMeters implements LeaseMeter {

  private final Counter held;
  private final Counter elsewhere;
  private final Counter failed;

  LeaseMeters(AjrMeters meters) {
    String what = "rounds of the leader election";
    this.held = meters.counter(AjrMeters.LEASE_RENEWALS, what, "outcome", "held");
    this.elsewhere = meters.counter(AjrMeters.LEASE_RENEWALS, what, "outcome", "elsewhere");
    this.failed = meters.counter(AjrMeters.LEASE_RENEWALS, what, "outcome", "failed");
  }

  @Override
  public void held() {
    held.increment();
  }

  @Override
  public void elsewhere() {
    elsewhere.increment();
  }

  @Override
  public void failed() {
    failed.increment();
  }
}
