package dev.ajr.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.ajr.core.node.NodeEvent;
import dev.ajr.core.node.NodeRecord;
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.server.audit.AuditLog;
import dev.ajr.server.auth.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Node health as ajr sees it, and returning nodes to service: {@code GET /api/v1/nodes}, {@code GET
 * /api/v1/nodes/{node}} (with its history), {@code POST /api/v1/nodes/{node}/undrain} (an
 * operator), {@code POST /api/v1/nodes/{node}/repaired} (the hardware-recovery service's callback,
 * with an operator's token).
 *
 * <p>Contract: operators and administrators only; node evidence quotes other users' job output, so
 * viewers are refused.
 */
final class NodeRoutes {

  private static final Pattern NODE =
      Pattern.compile("/api/v1/nodes/([A-Za-z0-9._-]{1,128})(/[a-z]+)?");

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
  private volatile AuditLog audit = AuditLog.NONE;

  NodeRoutes(NodeEndpoints nodes) {
    this.nodes = nodes;
  }

  /** Where undrains and repairs are recorded, with the caller as actor. */
  void audit(AuditLog audit) {
    this.audit = audit;
  }

  static boolean handles(String path) {
    return path.equals("/api/v1/nodes") || path.startsWith("/api/v1/nodes/");
  }

  Reply route(HttpExchange ex, Principal caller, String method, String path) {
    if (!caller.role().seesAllJobs()) {
      throw new ApiException(403, "forbidden", "nodes are for operators and administrators");
    }
    if (path.equals("/api/v1/nodes")) {
      ApiServer.requireMethod(method, "GET");
      List<NodeView> all = nodes.store().nodes().stream().map(NodeView::of).toList();
      return new Reply(200, Map.of("items", all));
    }
    Matcher m = NODE.matcher(path);
    if (!m.matches()) {
      throw new ApiException(404, "not_found", "no such API path: " + path);
    }
    String name = m.group(1);
    String action = m.group(2);
    if (action == null) {
      ApiServer.requireMethod(method, "GET");
      NodeRecord n =
          nodes
              .store()
              .node(name)
              .orElseThrow(
                  () -> new ApiException(404, "not_found", "ajr has nothing on node " + name));
      List<EventView> history =
          nodes.store().events(name, 100).stream().map(EventView::of).toList();
      return new Reply(200, Map.of("node", NodeView.of(n), "events", history));
    }
    ApiServer.requireMethod(method, "POST");
    String why =
        switch (action) {
          case "/undrain" -> "undrained by " + caller.username();
          case "/repaired" -> "repaired, reported by " + caller.username();
          default -> throw new ApiException(404, "not_found", "no such API path: " + path);
        };
    try {
      NodeRecord back = nodes.isolator().resume(name, caller.username(), why);
      audit.record(
          caller.username(),
          action.equals("/undrain") ? "node.undrain" : "node.repaired",
          "node:" + name,
          why + "; now " + back.health());
      return new Reply(200, Map.of("node", NodeView.of(back)));
    } catch (SchedulerException e) {
      throw new ApiException(
          e.transientFailure() ? 503 : 400, "scheduler", "node " + name + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted", "the server is stopping");
    } catch (dev.ajr.core.recovery.Fence.FencedOut e) {
      throw new ApiException(
          503,
          "not_leader",
          "this replica does not act on Slurm now (" + e.getMessage() + "); ask the leader");
    }
  }
}
