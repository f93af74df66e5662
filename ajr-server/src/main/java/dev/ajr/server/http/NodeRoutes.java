package dev.ajr.server.http;

import dev.ajr.core.node.NodeEvent;
import dev.ajr.core.node.NodeRecord;
import dev.ajr.core.node.ResumeRefused;
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.server.audit.AuditLog;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Node health as ajr sees it, and returning nodes to service: {@code GET /api/v1/nodes}, {@code GET
 * /api/v1/nodes/{node}} (with its history), {@code POST /api/v1/nodes/{node}/undrain} (an
 * operator), {@code POST /api/v1/nodes/{node}/repaired} (the hardware-recovery service's callback,
 * with an operator's token).
 *
 * <p>Contract: for operators and administrators ({@link Access#OPERATOR}): node evidence quotes
 * other users' job output. Undrains and repairs are audited with the caller as actor; a scheduler
 * failure names the node. Only a drain ajr made is undone (409 {@code not_drained_by_ajr}
 * otherwise); while ajr only observes, nothing is sent unless the caller adds {@code ?force=true}
 * (409 {@code observe_mode} without it), and a forced undrain is audited as forced.
 */
final class NodeRoutes {

  record NodeView(
      String name, String health, String reason, String evidence, long anomalyId, Instant since) {
    static NodeView of(NodeRecord n) {
      return new NodeView(
          n.name(), n.health().name(), n.reason(), n.evidence(), n.anomalyId(), n.since());
    }
  }

  record EventView(
      Instant at, String kind, String reason, long jobId, long anomalyId, String actor) {
    static EventView of(NodeEvent e) {
      return new EventView(
          e.at(), e.kind().name(), e.reason(), e.jobId(), e.anomalyId(), e.actor());
    }
  }

  private final NodeEndpoints nodes;
  private final AuditLog audit;

  NodeRoutes(NodeEndpoints nodes, AuditLog audit) {
    this.nodes = nodes;
    this.audit = audit;
  }

  Reply list(Call call) {
    List<NodeView> all = nodes.store().nodes().stream().map(NodeView::of).toList();
    return new Reply(200, Map.of("items", all));
  }

  Reply show(Call call) {
    String name = call.text("node");
    NodeRecord n =
        nodes
            .store()
            .node(name)
            .orElseThrow(
                () -> new ApiException(404, "not_found", "ajr has nothing on node " + name));
    List<EventView> history = nodes.store().events(name, 100).stream().map(EventView::of).toList();
    return new Reply(200, Map.of("node", NodeView.of(n), "events", history));
  }

  Reply undrain(Call call) throws Exception {
    String by = call.caller().username();
    return resume(call, "node.undrain", "undrained by " + by);
  }

  Reply repaired(Call call) throws Exception {
    String by = call.caller().username();
    return resume(call, "node.repaired", "repaired, reported by " + by);
  }

  private Reply resume(Call call, String action, String why) throws Exception {
    String name = call.text("node");
    String by = call.caller().username();
    boolean force = force(call.query().get("force"));
    boolean forced = force && nodes.isolator().observing();
    NodeRecord back;
    try {
      back = nodes.isolator().resume(name, by, why, force);
    } catch (SchedulerException e) {
      throw new SchedulerException("node " + name + ": " + e.getMessage(), e.transientFailure(), e);
    } catch (ResumeRefused e) {
      throw switch (e.reason()) {
        case NOT_A_NODE_NAME -> new ApiException(400, "bad_request", e.getMessage());
        case NOT_DRAINED_BY_AJR -> new ApiException(409, "not_drained_by_ajr", e.getMessage());
        case OBSERVE_MODE ->
            new ApiException(
                409, "observe_mode", e.getMessage() + ": POST ...?force=true (it is audited)");
      };
    }
    audit.record(
        by,
        action,
        "node:" + name,
        why
            + (forced ? "; forced with force=true while ajr only observes" : "")
            + "; now "
            + back.health());
    return new Reply(200, Map.of("node", NodeView.of(back)));
  }

  private static boolean force(String text) {
    if (text == null || text.equals("false")) {
      return false;
    }
    if (text.equals("true") || text.isEmpty()) {
      return true;
    }
    throw new ApiException(400, "bad_request", "force is true or false");
  }
}
