package dev.ajr.core.node;

import dev.ajr.core.detect.NodeNames;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.recovery.Fence;
import dev.ajr.core.recovery.Pacer;
import dev.ajr.core.scheduler.SchedulerException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Carries out what {@link NodeIsolationPolicy} decides about nodes: records every implication,
 * marks nodes suspect, and drains them as a persisted, verified step.
 *
 * <p>Contract: a drain is written (DRAINING, with its reason and evidence) before the scheduler is
 * asked, and recorded as DRAINED only when a fresh look shows the node drained; a node already
 * drained is not asked again, so the step is idempotent and {@link #resumeUnfinished} completes
 * drains a restart of ajr interrupted. Failed commands are retried with backoff until the action
 * deadline; a drain that still fails is recorded (DRAIN_FAILED) and the node left SUSPECT. The
 * scheduler's drain reason names ajr, the cause and the evidence. Nodes go back into service only
 * through {@link #resume} (an operator, or the hardware-recovery service reporting a repair). Every
 * change is published as an {@link AjrEvent.NodeChanged} (the server logs them). Calls are
 * serialised, so the blast-radius count cannot be overtaken by a concurrent drain.
 *
 * <p>Observe mode and {@code drain: false} mean no node changes: a drain found interrupted at start
 * is then recorded as held (the node SUSPECT), not completed; in observe mode a resume is refused
 * unless the caller forces it. Only drains ajr made are undone: a node ajr does not have as
 * draining, drained or in repair, or that the scheduler shows drained for a reason that is not
 * ajr's, is refused ({@link ResumeRefused}). Every node name is checked against {@link NodeNames}
 * before it is used: evidence naming anything else is ignored, and nothing else is ever handed to
 * the scheduler.
 *
 * <p>Design: drains, held drains and resumes stay in one class because they share one monitor (the
 * blast-radius count, a drain and a resume of the same node never interleave) and one way of
 * writing a change with its event; the decision itself is {@link NodeIsolationPolicy}'s.
 */
public final class NodeIsolator {

  /** The hardware-recovery service (the guide's AHR integration), told about drained nodes. */
  @FunctionalInterface
  public interface RepairService {
    void requestRepair(NodeRecord node) throws IOException;
  }

  private static final Duration VERIFY_POLL = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final String AJR = "ajr";

  /** The health of a node whose drain ajr made. */
  private static final Set<NodeHealth> AJRS_DRAINS =
      EnumSet.of(NodeHealth.DRAINING, NodeHealth.DRAINED, NodeHealth.IN_REPAIR);

  private final NodeIsolationPolicy policy = new NodeIsolationPolicy();
  private final NodeStore store;
  private final NodeControl control;
  private final EventSink events;
  private final Clock clock;
  private final Pacer pacer;
  private final NodeSettings settings;
  private final BooleanSupplier observe;
  private final RepairService repair;
  private final Duration deadline;
  private final Fence fence;

  /**
   * @param observe true while ajr only observes: justified drains are recorded, not done
   * @param repair the hardware-recovery service, or null when there is none
   * @param deadline how long a drain or resume is retried
   * @param fence checked before each command: a replica that lost the leader lease sends nothing
   */
  public NodeIsolator(
      NodeStore store,
      NodeControl control,
      EventSink events,
      Clock clock,
      Pacer pacer,
      NodeSettings settings,
      BooleanSupplier observe,
      RepairService repair,
      Duration deadline,
      Fence fence) {
    this.fence = fence;
    this.store = store;
    this.control = control;
    this.events = events;
    this.clock = clock;
    this.pacer = pacer;
    this.settings = settings;
    this.observe = observe;
    this.repair = repair;
    this.deadline = deadline;
  }

  /** Takes a finding; returns the node's record afterwards, or empty when it names no node. */
  public synchronized Optional<NodeRecord> onEvidence(NodeEvidence e)
      throws InterruptedException, Fence.FencedOut {
    if (!e.pointsAtNode() || !isNodeName(e.node())) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    String node = e.node();
    NodeRecord current = store.node(node).orElse(NodeRecord.ok(node, now));
    event(current, NodeEvent.Kind.IMPLICATED, describe(e), e);
    int implicating = store.implicatingJobs(node, now.minus(settings.lemonWindow())).size();
    int drains = store.drainsSince(now.minus(settings.drainWindow()));
    NodeIsolationPolicy.Plan plan =
        policy.decide(
            new NodeIsolationPolicy.Input(
                e, current, implicating, drains, clusterNodes(), observe.getAsBoolean(), settings));
    switch (plan.verdict()) {
      case NONE -> {
        return Optional.of(current);
      }
      case SUSPECT -> {
        if (current.health() != NodeHealth.OK) {
          return Optional.of(current);
        }
        NodeRecord suspect = withEvidence(current, NodeHealth.SUSPECT, plan.reason(), e, now);
        return Optional.of(change(suspect, NodeEvent.Kind.SUSPECT, plan.reason(), e));
      }
      case HOLD -> {
        NodeRecord suspect = withEvidence(current, NodeHealth.SUSPECT, plan.reason(), e, now);
        return Optional.of(change(suspect, NodeEvent.Kind.DRAIN_HELD, plan.reason(), e));
      }
      case DRAIN -> {
        NodeRecord draining = withEvidence(current, NodeHealth.DRAINING, plan.reason(), e, now);
        change(draining, NodeEvent.Kind.DRAIN_PLANNED, plan.reason(), e);
        return Optional.of(drain(draining, e.jobId(), e.anomalyId()));
      }
    }
    throw new IllegalStateException("unknown verdict " + plan.verdict());
  }

  /**
   * Completes the drains a stop of ajr interrupted; in observe mode or with drains off, records
   * them as held instead and sends the scheduler nothing.
   */
  public synchronized void resumeUnfinished() throws InterruptedException, Fence.FencedOut {
    for (NodeRecord node : store.draining()) {
      String held = heldBecause();
      if (held != null || !isNodeName(node.name())) {
        String why =
            node.reason()
                + "; not drained: the drain was interrupted by a stop of ajr and "
                + (held != null ? held : "the name is not a node name");
        persist(
            node.with(NodeHealth.SUSPECT, why, clock.instant()),
            new NodeEvent(
                0,
                node.name(),
                clock.instant(),
                NodeEvent.Kind.DRAIN_HELD,
                why,
                0,
                node.anomalyId(),
                AJR));
        continue;
      }
      drain(node, 0, node.anomalyId());
    }
  }

  /** Why drains are held now (observe mode, drains off), or null when ajr drains. */
  private String heldBecause() {
    if (observe.getAsBoolean()) {
      return "ajr only observes now (observe mode)";
    }
    if (!settings.drain()) {
      return "drains are off now (nodes.drain: false)";
    }
    return null;
  }

  /** Whether ajr only observes now: it changes no node unless an operator forces it. */
  public boolean observing() {
    return observe.getAsBoolean();
  }

  /** As {@link #resume(String, String, String, boolean)}, not forced. */
  public NodeRecord resume(String node, String actor, String why)
      throws SchedulerException, InterruptedException, Fence.FencedOut, ResumeRefused {
    return resume(node, actor, why, false);
  }

  /**
   * Puts a node that ajr drained back in service (an operator's undrain, or a repair reported).
   *
   * @param actor who asked, for the audit trail
   * @param force resume even though ajr only observes (recorded with the event's reason)
   * @throws ResumeRefused when the name is not a node name, ajr did not drain the node (or the
   *     scheduler shows it drained for another reason), or ajr observes and {@code force} is false
   * @throws SchedulerException when the scheduler did not resume it before the deadline
   */
  public synchronized NodeRecord resume(String node, String actor, String why, boolean force)
      throws SchedulerException, InterruptedException, Fence.FencedOut, ResumeRefused {
    if (!isNodeName(node)) {
      throw new ResumeRefused(
          ResumeRefused.Reason.NOT_A_NODE_NAME,
          "a node name has 1 to "
              + NodeNames.MAX_LENGTH
              + " letters, digits, '-', '_' and '.', and starts with a letter or digit");
    }
    Optional<NodeRecord> known = store.node(node);
    if (known.isEmpty() || !AJRS_DRAINS.contains(known.get().health())) {
      throw new ResumeRefused(
          ResumeRefused.Reason.NOT_DRAINED_BY_AJR,
          "ajr did not drain "
              + node
              + (known.isEmpty()
                  ? " (it knows nothing of it)"
                  : " (it has it as " + known.get().health() + ")")
              + "; ajr undoes only its own drains: resume it with scontrol if it should be back");
    }
    if (observe.getAsBoolean() && !force) {
      throw new ResumeRefused(
          ResumeRefused.Reason.OBSERVE_MODE,
          "ajr only observes (observe mode) and changes no node; force the resume of "
              + node
              + " to send it anyway");
    }
    String reason = force && observe.getAsBoolean() ? why + " (forced in observe mode)" : why;
    Instant until = clock.instant().plus(deadline);
    Duration backoff = Duration.ofMillis(500);
    SchedulerException last = null;
    boolean looked = false;
    while (clock.instant().isBefore(until)) {
      try {
        Optional<NodeState> state = control.state(node);
        if (state.isEmpty()) {
          throw new SchedulerException("the scheduler knows no node " + node, false);
        }
        if (!state.get().drained()) {
          NodeRecord ok = NodeRecord.ok(node, clock.instant());
          persist(
              ok,
              new NodeEvent(0, node, clock.instant(), NodeEvent.Kind.RESUMED, reason, 0, 0, actor));
          return ok;
        }
        if (!looked && !state.get().reason().startsWith(AJR)) {
          throw new ResumeRefused(
              ResumeRefused.Reason.NOT_DRAINED_BY_AJR,
              node
                  + " is drained for a reason that is not ajr's (\""
                  + state.get().reason()
                  + "\"): someone drained it since; ajr undoes only its own drains");
        }
        looked = true;
        fence.check();
        control.resume(node);
      } catch (SchedulerException e) {
        if (!e.transientFailure()) {
          throw e;
        }
        last = e;
      }
      pacer.pause(backoff);
      backoff = doubled(backoff);
    }
    throw last != null
        ? last
        : new SchedulerException("node " + node + " did not come back into service in time", true);
  }

  private NodeRecord drain(NodeRecord draining, long jobId, long anomalyId)
      throws InterruptedException, Fence.FencedOut {
    String node = draining.name();
    String reason = schedulerReason(draining.reason());
    Instant until = clock.instant().plus(deadline);
    Duration backoff = Duration.ofMillis(500);
    String problem = "";
    boolean sent = false;
    while (clock.instant().isBefore(until)) {
      try {
        Optional<NodeState> state = control.state(node);
        if (state.isEmpty()) {
          problem = "the scheduler knows no node " + node;
          break;
        }
        if (state.get().drained()) {
          return drained(draining, jobId, anomalyId);
        }
        if (!sent) {
          fence.check();
          control.drain(node, reason);
          sent = true;
          continue; // verify at once
        }
        pacer.pause(VERIFY_POLL);
        sent = false; // not in effect yet: look again, and send again next round
        continue;
      } catch (SchedulerException e) {
        problem = e.getMessage();
        if (!e.transientFailure()) {
          break;
        }
      }
      pacer.pause(backoff);
      backoff = doubled(backoff);
    }
    String why = "the drain of " + node + " failed: " + (problem.isEmpty() ? "timed out" : problem);
    NodeRecord suspect = draining.with(NodeHealth.SUSPECT, why, clock.instant());
    persist(
        suspect,
        new NodeEvent(
            0, node, clock.instant(), NodeEvent.Kind.DRAIN_FAILED, why, jobId, anomalyId, AJR));
    return suspect;
  }

  private NodeRecord drained(NodeRecord draining, long jobId, long anomalyId) {
    Instant now = clock.instant();
    NodeRecord drained = draining.with(NodeHealth.DRAINED, draining.reason(), now);
    persist(
        drained,
        new NodeEvent(
            0,
            drained.name(),
            now,
            NodeEvent.Kind.DRAINED,
            draining.reason(),
            jobId,
            anomalyId,
            AJR));
    if (repair == null) {
      return drained;
    }
    try {
      repair.requestRepair(drained);
      NodeRecord inRepair = drained.with(NodeHealth.IN_REPAIR, drained.reason(), clock.instant());
      persist(
          inRepair,
          new NodeEvent(
              0,
              drained.name(),
              clock.instant(),
              NodeEvent.Kind.REPAIR_REQUESTED,
              "handed to the hardware-recovery service",
              jobId,
              anomalyId,
              AJR));
      return inRepair;
    } catch (IOException e) {
      persist(
          drained,
          new NodeEvent(
              0,
              drained.name(),
              clock.instant(),
              NodeEvent.Kind.REPAIR_REQUESTED,
              "the hardware-recovery service could not be told ("
                  + e.getMessage()
                  + "); the node stays drained",
              jobId,
              anomalyId,
              AJR));
      return drained;
    }
  }

  private int clusterNodes() {
    try {
      return Math.max(1, control.nodeCount());
    } catch (SchedulerException e) {
      return Math.max(1, store.nodes().size());
    }
  }

  private NodeRecord change(NodeRecord record, NodeEvent.Kind kind, String reason, NodeEvidence e) {
    persist(
        record,
        new NodeEvent(
            0, record.name(), clock.instant(), kind, reason, e.jobId(), e.anomalyId(), AJR));
    return record;
  }

  /**
   * Saves the node and its event and publishes the change, together: all of it or none (the event
   * reaches in-process subscribers once written).
   */
  private void persist(NodeRecord node, NodeEvent event) {
    store.atomically(() -> {
      store.saveNode(node);
      NodeEvent stored = store.addEvent(event);
      events.publish(new AjrEvent.NodeChanged(node, stored));
    });
  }

  private NodeEvent event(NodeRecord node, NodeEvent.Kind kind, String reason, NodeEvidence e) {
    return store.addEvent(
        new NodeEvent(
            0, node.name(), clock.instant(), kind, reason, e.jobId(), e.anomalyId(), AJR));
  }

  /** Whether the text is a node name as a whole (see {@link NodeNames}). */
  static boolean isNodeName(String name) {
    return name != null && name.equals(NodeNames.valid(name));
  }

  private static NodeRecord withEvidence(
      NodeRecord current, NodeHealth health, String reason, NodeEvidence e, Instant at) {
    return new NodeRecord(current.name(), health, reason, e.line(), e.anomalyId(), at);
  }

  private static String describe(NodeEvidence e) {
    return e.cause()
        + " ("
        + e.ruleId()
        + ") in "
        + (e.evidence().trusted() ? "the kernel log" : "job output of job " + e.jobId());
  }

  /** The reason Slurm shows: names ajr, one line, bounded. */
  static String schedulerReason(String reason) {
    String oneLine = reason.replaceAll("[\\r\\n\\t]+", " ").strip();
    String text = "ajr: " + oneLine;
    return text.length() > 240 ? text.substring(0, 240) + "..." : text;
  }

  /** The next wait between tries: twice the last, at most {@link #MAX_BACKOFF}. */
  private static Duration doubled(Duration backoff) {
    Duration next = backoff.multipliedBy(2);
    return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
  }
}
