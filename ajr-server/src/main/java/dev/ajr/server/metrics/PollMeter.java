package dev.ajr.server.metrics;

import java.time.Duration;

/** What the scheduler poller reports about each round. Thread-safe. */
public interface PollMeter {

  /** Records nothing. */
  PollMeter NONE =
      new PollMeter() {
        @Override
        public void read(Duration took, int jobsTracked) {}

        @Override
        public void failed(Duration took) {}
      };

  /** A round that read Slurm and found {@code jobsTracked} unfinished jobs. */
  void read(Duration took, int jobsTracked);

  /** A round in which Slurm could not be read. */
  void failed(Duration took);

  /**
   * Slurm's controller told of a change to a job: {@code taken} when it will be looked at, false
   * when too many such jobs waited already. Records nothing unless overridden.
   */
  default void told(boolean taken) {}
}
