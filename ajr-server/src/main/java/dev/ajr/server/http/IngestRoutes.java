package dev.ajr.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.ingest.AgentBatch;
import dev.ajr.server.ingest.AgentIngest;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.ingest.LokiLines;
import dev.ajr.server.ingest.loki.LokiFormatException;
import dev.ajr.server.ingest.loki.LokiPushDecoder;
import dev.ajr.server.ingest.loki.LokiStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The paths log senders use: node agents ({@code /api/v1/agent/jobs}, {@code /api/v1/agent/lines})
 * and shippers speaking Loki's push API ({@code /loki/api/v1/push}: Promtail, Grafana Alloy, Fluent
 * Bit, Vector), answered as Loki does (204 on success).
 *
 * <p>Contract: only a caller whose role may ship logs (agent, operator, admin) gets through; a
 * viewer is refused, since a shipped kernel line may drain a node. A body over the limit or not in
 * the documented shape is refused whole with a 400 (or 413) saying what is wrong.
 */
final class IngestRoutes {

  static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
  static final String LOKI_PUSH = "/loki/api/v1/push";

  private final AgentIngest agents;
  private final LineRouter router;
  private final LokiLines lokiLines;
  private final LokiPushDecoder loki;
  private final ObjectMapper json;

  IngestRoutes(IngestEndpoints endpoints, ObjectMapper json) {
    this.agents = endpoints.agents();
    this.router = endpoints.router();
    this.lokiLines = endpoints.loki();
    this.loki = new LokiPushDecoder(MAX_BODY_BYTES, endpoints.maxLineBytes());
    this.json = json;
  }

  static boolean handles(String path) {
    return path.startsWith("/api/v1/agent/") || path.equals(LOKI_PUSH);
  }

  Reply route(HttpExchange ex, Principal caller, String method, String path) throws IOException {
    if (!caller.role().mayShipLogs()) {
      throw new ApiException(
          403, "forbidden", "only an agent, operator or admin token may send log lines");
    }
    switch (path) {
      case "/api/v1/agent/jobs" -> {
        ApiServer.requireMethod(method, "GET");
        String node = ApiServer.query(ex).get("node");
        if (node == null || node.isBlank()) {
          throw new ApiException(400, "bad_request", "give the agent's node: ?node=NAME");
        }
        return new Reply(200, Map.of("node", node, "jobs", router.assignments(node)));
      }
      case "/api/v1/agent/lines" -> {
        ApiServer.requireMethod(method, "POST");
        AgentBatch batch = read(ex, AgentBatch.class);
        try {
          return new Reply(200, agents.accept(batch));
        } catch (IllegalArgumentException e) {
          throw new ApiException(400, "bad_request", e.getMessage());
        }
      }
      case LOKI_PUSH -> {
        ApiServer.requireMethod(method, "POST");
        String tenant = ex.getRequestHeaders().getFirst("X-Scope-OrgID");
        List<LokiStream> streams;
        try {
          streams =
              loki.decode(
                  ex.getRequestHeaders().getFirst("Content-Type"),
                  ex.getRequestHeaders().getFirst("Content-Encoding"),
                  body(ex));
        } catch (LokiFormatException e) {
          throw new ApiException(400, "bad_request", e.getMessage());
        }
        lokiLines.push(tenant == null || tenant.isBlank() ? "push" : "push:" + tenant, streams);
        return new Reply(204, null);
      }
      default -> throw new ApiException(404, "not_found", "no such API path: " + path);
    }
  }

  private <T> T read(HttpExchange ex, Class<T> type) throws IOException {
    byte[] body = body(ex);
    try {
      return Optional.ofNullable(json.readValue(body, type))
          .orElseThrow(() -> new ApiException(400, "bad_request", "the body is empty"));
    } catch (JacksonException e) {
      throw new ApiException(
          400, "bad_request", "the body is not a valid batch: " + e.getOriginalMessage());
    }
  }

  /** The request body, at most {@link #MAX_BODY_BYTES}. */
  static byte[] body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new ApiException(
            413, "too_large", "the body is larger than " + MAX_BODY_BYTES + " bytes; send less");
      }
      return body;
    }
  }
}
