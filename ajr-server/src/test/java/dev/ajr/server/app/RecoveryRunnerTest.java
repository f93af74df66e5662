package dev.ajr.server.app;

import static dev.ajr.core.testing.SchedulerJobBuilder.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.node.NodeEvidence;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import dev.ajr.core.recovery.ExecutorSettings;
import dev.ajr.core.recovery.Fence;
import dev.ajr.core.recovery.RecoveryExecutor;
import dev.ajr.core.recovery.StepProbe;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.testing.FakeScheduler;
import dev.ajr.core.testing.Fixtures;
import dev.ajr.core.testing.InMemoryRecoveryStore;
import dev.ajr.core.testing.MemoryNodeControl;
import dev.ajr.core.testing.MemoryNodeStore;
import dev.ajr.core.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecoveryRunnerTest {

  private static final long JOB = 42;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:10:00Z"));
  private final InMemoryRecoveryStore store = new InMemoryRecoveryStore();
  private final FakeScheduler scheduler = new FakeScheduler(clock);
  private final AtomicInteger started = new AtomicInteger();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch proceed = new CountDownLatch(1);
  private final MemoryNodeStore nodes = new MemoryNodeStore();

  /** Holds the first run of a decision at its start until the test lets it go on. */
  private final StepProbe holdAtStart =
      step -> {
        if (step.equals("decision.started")) {
          started.incrementAndGet();
          entered.countDown();
          try {
            proceed.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };

  private final RecoveryRunner runner =
      new RecoveryRunner(
          new RecoveryExecutor(
              scheduler,
              store,
              e -> {},
              new JobLocks(),
              clock,
              clock::advance,
              ExecutorSettings.DEFAULTS,
              holdAtStart,
              Fence.NONE),
          new MemoryNodeControl().isolator(nodes, e -> {}, clock));

  @AfterEach
  void stop() {
    proceed.countDown();
    runner.close();
  }

  private Decision restart() {
    store.saveJob(Fixtures.job(JOB, Fixtures.requeue(1), JobStatus.RECOVERING));
    store.saveAttempt(Fixtures.attempt(JOB, 0, AttemptState.RUNNING));
    scheduler.put(job(JOB).build());
    List<Action> actions = new ArrayList<>();
    int seq = 0;
    for (ActionKind kind :
        List.of(ActionKind.REQUEUE_HOLD, ActionKind.START_NOW, ActionKind.RELEASE)) {
      actions.add(
          new Action(0, 0, seq++, kind, JOB, List.of(), ActionState.PENDING, 0, "", null, null));
    }
    return store.addDecision(
        new Decision(
            0,
            JOB,
            0,
            Operation.RESTART,
            List.of("CRASH anomaly (CRASH_SEGFAULT) in attempt 0"),
            1,
            DecisionState.PLANNED,
            false,
            "",
            clock.instant(),
            null),
        actions);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  @Test
  void aDecisionRunsOnOneThreadOnlyHoweverOftenItIsHandedOver() throws Exception {
    Decision decision = restart();

    runner.execute(decision.id());
    assertThat(entered.await(10, TimeUnit.SECONDS)).as("the decision started").isTrue();
    runner.execute(decision.id()); // while it runs: ignored
    runner.execute(decision.id());
    proceed.countDown();
    await(
        () -> store.decision(decision.id()).orElseThrow().state() == DecisionState.DONE,
        "the decision is done");

    assertThat(started).hasValue(1);
    assertThat(scheduler.commandLog())
        .containsExactly("requeueHold 42", "startNow 42", "release 42");
  }

  private NodeEvidence kernelXid(String node) {
    return new NodeEvidence(
        node,
        JOB,
        1,
        Cause.GPU_HARDWARE,
        "gpu.xid.hardware",
        RecoveryAction.REQUEUE_EXCLUDE_NODE,
        "NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.",
        Evidence.KERNEL_LOG,
        clock.instant());
  }

  @Test
  void nodeEvidenceGoesToTheIsolatorOnARecoveryThread() throws Exception {
    runner.isolate(kernelXid("node3"));

    await(() -> nodes.node("node3").isPresent(), "node3 is known to the isolator");
  }

  @Test
  void evidenceThatNamesNoNodeIsNotHandedOn() {
    runner.isolate(kernelXid(""));
    runner.close(); // waits for whatever was handed over

    assertThat(nodes.nodes()).isEmpty();
  }
}
