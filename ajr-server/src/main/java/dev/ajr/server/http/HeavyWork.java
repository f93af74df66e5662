package dev.ajr.server.http;

import com.sun.net.httpserver.Headers;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CPU-heavy part of a request (the diagnosis of pasted log text) on a small pool of
 * platform threads, off the request threads.
 *
 * <p>Why: requests are served by virtual threads, which the JVM does not take off a core while they
 * compute. Two long diagnoses would hold both cores of a two-core machine, and every other request,
 * {@code /healthz} included, would wait for one of them to end. Here the request's thread parks
 * while a platform thread computes, and the operating system shares the cores.
 *
 * <p>Contract: at most {@code threads} pieces of work run at once and {@code queue} more wait; each
 * caller has at most one running or waiting. Beyond that the request is answered 429 with {@code
 * Retry-After}, never queued without bound. Thread-safe.
 */
final class HeavyWork implements AutoCloseable {

  private final ThreadPoolExecutor pool;
  private final Set<String> busyCallers = ConcurrentHashMap.newKeySet();

  HeavyWork(int threads, int queue) {
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            Thread.ofPlatform().name("ajr-heavy-", 1).daemon().factory());
  }

  /** A pool sized for this machine: one thread fewer than its cores, at least one. */
  static HeavyWork forThisMachine() {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    return new HeavyWork(threads, 4 * threads);
  }

  /**
   * Runs {@code work} for {@code caller} and returns its result; its runtime exceptions are
   * rethrown as they are.
   *
   * @param answer the response's headers, where a refusal sets Retry-After
   * @throws ApiException 429 (with Retry-After) when the caller already has work running or the
   *     pool is full
   */
  <T> T run(String caller, Headers answer, Callable<T> work) {
    if (!busyCallers.add(caller)) {
      throw busy(answer, "a request of yours of this kind is still being worked on; wait for it");
    }
    try {
      Future<T> result;
      try {
        result = pool.submit(work);
      } catch (RejectedExecutionException e) {
        throw busy(
            answer, "the server is busy with other requests of this kind; try again shortly");
      }
      try {
        return result.get();
      } catch (InterruptedException e) {
        result.cancel(true);
        Thread.currentThread().interrupt();
        throw new ApiException(503, "unavailable", "the server is stopping");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException(e.getCause());
      }
    } finally {
      busyCallers.remove(caller);
    }
  }

  /** Pieces of work waiting for a thread. */
  int waiting() {
    return pool.getQueue().size();
  }

  private static ApiException busy(Headers answer, String message) {
    answer.set("Retry-After", "1");
    return new ApiException(429, "too_many_requests", message);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
