package dev.ajr.core.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per job id, so the tracker, the detector and the executor never interleave a
 * read-change-write of the same job. Striped: two jobs may share a lock, which only costs waiting.
 * Thread-safe.
 */
public final class JobLocks {

  private final ReentrantLock[] stripes;

  public JobLocks() {
    this(64);
  }

  public JobLocks(int stripeCount) {
    stripes = new ReentrantLock[stripeCount];
    for (int i = 0; i < stripeCount; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** Runs the work holding the job's lock. */
  public void withLock(long jobId, Runnable work) {
    ReentrantLock lock = stripes[Math.floorMod(Long.hashCode(jobId), stripes.length)];
    lock.lock();
    try {
      work.run();
    } finally {
      lock.unlock();
    }
  }
}
