package dev.ajr.server.audit;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.node.NodeEvent;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import java.util.Locale;

/**
 * Writes ajr's own doings to the audit trail, with the actor {@value #ACTOR}: each recovery
 * decision ({@code decision.restart}, {@code decision.stop}, ...), each recovery action's final
 * outcome ({@code action.verified}, {@code action.failed}) and each change of a node's health
 * ({@code node.suspect}, {@code node.drained}, ...). Subscribed to the in-process bus, so it hears
 * of a change once it is committed.
 *
 * <p>Contract: targets are {@code job:<id>} or {@code node:<name>}. Node events done by a person
 * (an undrain) are left to whoever took the request, which records them with the person as actor;
 * node implications (a failure pointing at a node, not a change) are not recorded.
 */
public final class EventAudit implements EventSink {

  public static final String ACTOR = "ajr";

  private final AuditLog audit;

  public EventAudit(AuditLog audit) {
    this.audit = audit;
  }

  @Override
  public void publish(AjrEvent event) {
    switch (event) {
      case AjrEvent.DecisionMade made -> decision(made.decision());
      case AjrEvent.ActionUpdated updated -> action(updated.jobId(), updated.action());
      case AjrEvent.NodeChanged changed -> node(changed.event());
      default -> {}
    }
  }

  private void decision(Decision d) {
    audit.record(
        ACTOR,
        "decision." + lower(d.operation().name()),
        "job:" + d.jobId(),
        "attempt " + d.attemptIndex() + ": " + String.join("; ", d.reasons()));
  }

  private void action(long jobId, Action a) {
    if (a.state() != ActionState.VERIFIED && a.state() != ActionState.FAILED) {
      return;
    }
    audit.record(
        ACTOR,
        "action." + lower(a.state().name()),
        "job:" + jobId,
        a.kind().name()
            + (a.nodes().isEmpty() ? "" : " " + String.join(",", a.nodes()))
            + " after "
            + a.tries()
            + " tries: "
            + a.outcome());
  }

  private void node(NodeEvent e) {
    if (e.kind() == NodeEvent.Kind.IMPLICATED || !ACTOR.equals(e.actor())) {
      return;
    }
    audit.record(
        ACTOR,
        "node." + lower(e.kind().name()).replace('_', '-'),
        "node:" + e.node(),
        e.reason() + (e.jobId() == 0 ? "" : " (job " + e.jobId() + ")"));
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
