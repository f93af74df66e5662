package dev.ajr.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.ajr.core.detect.NodeNames;
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
 * <p>Contract: only a caller whose role may ship logs ({@link Access#SHIPS_LOGS}: agent, operator,
 * admin) gets here; a viewer is refused, since a shipped kernel line may drain a node. A body over
 * the limit or not in the documented shape is refused whole with a 400 (or 413) saying what is
 * wrong.
 */
final class IngestRoutes {

  static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

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

  Reply jobs(Call call) {
    String node = call.query().get("node");
    if (node == null || node.isBlank()) {
      throw new ApiException(400, "bad_request", "give the agent's node: ?node=NAME");
    }
    if (!node.equals(NodeNames.valid(node))) {
      throw new ApiException(
          400,
          "bad_request",
          "node must be a node name: letters, digits, '-', '_' and '.', starting with a letter or"
              + " digit, at most "
              + NodeNames.MAX_LENGTH
              + " characters");
    }
    return new Reply(200, Map.of("node", node, "jobs", router.assignments(node)));
  }

  Reply lines(Call call) throws IOException {
    AgentBatch batch = read(call.exchange(), AgentBatch.class);
    try {
      return new Reply(200, agents.accept(batch));
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "bad_request", e.getMessage());
    }
  }

  Reply lokiPush(Call call) throws IOException {
    HttpExchange ex = call.exchange();
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
