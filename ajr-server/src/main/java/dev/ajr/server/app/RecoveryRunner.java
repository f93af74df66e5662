package dev.ajr.server.app;

import dev.ajr.core.node.NodeEvidence;
import dev.ajr.core.node.NodeIsolator;
import dev.ajr.core.recovery.Fence;
import dev.ajr.core.recovery.RecoveryExecutor;
import dev.ajr.server.service.Service;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs recoveries and node work on the recovery threads ({@value #THREADS}, named {@code
 * ajr-recovery-N}): decisions through the {@link RecoveryExecutor}, node evidence through the
 * {@link NodeIsolator}. Both may wait for Slurm, so they never run on the thread that found the
 * failure.
 *
 * <p>Contract: one decision, one thread: {@link #execute} hands a decision to a thread unless it
 * runs already (a second call while it runs does nothing; once it ended, a call runs it again,
 * which the executor's checks make harmless). On start, decisions and drains an earlier run left
 * unfinished are resumed. A failure is logged; the decision stays stored and is resumed on the next
 * start. Whether this server may act at all is the caller's question ({@code ReplicaRole}).
 * Thread-safe.
 */
final class RecoveryRunner implements Service {

  private static final Logger log = LoggerFactory.getLogger(RecoveryRunner.class);
  static final int THREADS = 4;

  /** A piece of recovery work that may wait for Slurm and be fenced out. */
  @FunctionalInterface
  private interface Work {
    void run() throws InterruptedException, Fence.FencedOut;
  }

  private final RecoveryExecutor executor;
  private final NodeIsolator nodes;
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newFixedThreadPool(
          THREADS, Thread.ofPlatform().name("ajr-recovery-", 1).daemon(true).factory());

  RecoveryRunner(RecoveryExecutor executor, NodeIsolator nodes) {
    this.executor = executor;
    this.nodes = nodes;
  }

  @Override
  public String name() {
    return "recovery runner";
  }

  /** Completes interrupted node drains and resumes every unfinished decision, in the background. */
  @Override
  public void start() {
    submit("completing unfinished node drains failed", nodes::resumeUnfinished);
    submit("resuming unfinished recoveries failed", executor::resumeUnfinished);
  }

  /** Runs the decision on a recovery thread, unless it runs already. */
  void execute(long decisionId) {
    if (!running.add(decisionId)) {
      return;
    }
    threads.submit(() -> {
      try {
        executor.run(decisionId);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Fence.FencedOut e) {
        log.error("recovery decision {} not carried on: {}", decisionId, e.getMessage());
      } catch (RuntimeException e) {
        log.error(
            "recovery decision {} stopped: {}; it is resumed on the next start",
            decisionId,
            e.toString());
      } finally {
        running.remove(decisionId);
      }
    });
  }

  /** Hands evidence that points at a node to the node isolator, on a recovery thread. */
  void isolate(NodeEvidence evidence) {
    if (!evidence.pointsAtNode()) {
      return;
    }
    submit("acting on node " + evidence.node() + " failed", () -> nodes.onEvidence(evidence));
  }

  private void submit(String failure, Work work) {
    threads.submit(() -> {
      try {
        work.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Fence.FencedOut | RuntimeException e) {
        log.error("{}: {}", failure, e.toString());
      }
    });
  }

  /** Interrupts running recoveries (they resume on the next start) and waits up to 5 s. */
  @Override
  public void close() {
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
