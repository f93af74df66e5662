package dev.ajr.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.ajr.core.detect.NodeNames;
import dev.ajr.server.ingest.AgentBatch;
import dev.ajr.server.ingest.AgentIngest;
import dev.ajr.server.ingest.IngestAdmission;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.ingest.LokiLines;
import dev.ajr.server.ingest.loki.LokiFormatException;
import dev.ajr.server.ingest.loki.LokiPushDecoder;
import dev.ajr.server.ingest.loki.LokiStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paths log senders use: node agents ({@code /api/v1/agent/jobs}, {@code /api/v1/agent/lines})
 * and shippers speaking Loki's push API ({@code /loki/api/v1/push}: Promtail, Grafana Alloy, Fluent
 * Bit, Vector), answered as Loki does (204 on success).
 *
 * <p>Contract: only a caller whose role may ship logs ({@link Access#SHIPS_LOGS}: agent, operator,
 * admin) gets here; a viewer is refused, since a shipped kernel line may drain a node. A body over
 * the limit or not in the documented shape is refused whole with a 400 (or 413) saying what is
 * wrong.
 *
 * <p>Back-pressure: each request is held to {@link IngestAdmission} (bytes held at once,
 * server-wide and per source; each source's rate) from its first byte until it is answered, its
 * body read by {@link IngestBody}. Beyond a bound the request is answered 429 with {@code
 * Retry-After} before anything of it is handled: a request is taken whole (200, 204) or refused
 * whole (429, 413, 400), so the sender may send it again. A source is the caller and the node an
 * agent names ({@code ?node=}), else the caller and the client's address.
 */
final class IngestRoutes {

  private static final Logger log = LoggerFactory.getLogger(IngestRoutes.class);

  private final AgentIngest agents;
  private final LineRouter router;
  private final LokiLines lokiLines;
  private final LokiPushDecoder loki;
  private final IngestAdmission admission;
  private final ClientNetwork network;
  private final ObjectMapper json;

  IngestRoutes(IngestEndpoints endpoints, ObjectMapper json, ClientNetwork network) {
    this.agents = endpoints.agents();
    this.router = endpoints.router();
    this.lokiLines = endpoints.loki();
    this.loki = new LokiPushDecoder(IngestBody.MAX_BODY_BYTES, endpoints.maxLineBytes());
    this.admission = endpoints.admission();
    this.network = network;
    this.json = json;
  }

  Reply jobs(Call call) {
    String node = call.query().get("node");
    if (node == null || node.isBlank()) {
      throw new ApiException(400, "bad_request", "give the agent's node: ?node=NAME");
    }
    checkNode(node);
    return new Reply(200, Map.of("node", node, "jobs", router.assignments(node)));
  }

  private static void checkNode(String node) {
    if (!node.equals(NodeNames.valid(node))) {
      throw new ApiException(
          400,
          "bad_request",
          "node must be a node name: letters, digits, '-', '_' and '.', starting with a letter or"
              + " digit, at most "
              + NodeNames.MAX_LENGTH
              + " characters");
    }
  }

  /**
   * A node agent's batch; agents name their node in {@code ?node=}, older ones only in the body.
   */
  Reply lines(Call call) throws IOException {
    String node = call.query().get("node");
    if (node != null) {
      checkNode(node);
    }
    HttpExchange ex = call.exchange();
    String source =
        call.caller().username()
            + (node != null ? " on node " + node : " from " + network.clientAddress(ex));
    try (IngestAdmission.Request request = admission.open(source)) {
      AgentBatch batch = parse(admitted(ex, request), AgentBatch.class);
      if (node != null && batch.node() != null && !node.equals(batch.node())) {
        throw new ApiException(
            400,
            "bad_request",
            "the batch is of node " + batch.node() + " but the request names node " + node);
      }
      try {
        return new Reply(200, agents.accept(batch));
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "bad_request", e.getMessage());
      }
    }
  }

  Reply lokiPush(Call call) throws IOException {
    HttpExchange ex = call.exchange();
    String tenant = ex.getRequestHeaders().getFirst("X-Scope-OrgID");
    String source = call.caller().username() + " from " + network.clientAddress(ex);
    try (IngestAdmission.Request request = admission.open(source)) {
      List<LokiStream> streams;
      try {
        streams =
            loki.decode(
                ex.getRequestHeaders().getFirst("Content-Type"),
                ex.getRequestHeaders().getFirst("Content-Encoding"),
                admitted(ex, request),
                request::decoded);
      } catch (LokiFormatException e) {
        throw new ApiException(400, "bad_request", e.getMessage());
      } catch (IngestAdmission.Refused refused) {
        throw refusal(ex, refused);
      }
      lokiLines.push(tenant == null || tenant.isBlank() ? "push" : "push:" + tenant, streams);
      return new Reply(204, null);
    }
  }

  /** The body, read within the request's admission. */
  private byte[] admitted(HttpExchange ex, IngestAdmission.Request request) throws IOException {
    try {
      return IngestBody.read(ex, request);
    } catch (ApiException e) {
      if (e.status() == 429) {
        logRefusal(e);
      }
      throw e;
    }
  }

  private ApiException refusal(HttpExchange ex, IngestAdmission.Refused refused) {
    ApiException answer = IngestBody.refusal(ex, refused);
    if (answer.status() == 429) {
      logRefusal(answer);
    }
    return answer;
  }

  /** Says so in the log at the first refusal and every thousandth after it. */
  private void logRefusal(ApiException e) {
    long refusals = admission.refusals();
    if (refusals % 1000 == 1) {
      log.info("log senders are asked to wait (429; {} so far): {}", refusals, e.getMessage());
    }
  }

  private <T> T parse(byte[] body, Class<T> type) {
    try {
      return Optional.ofNullable(json.readValue(body, type))
          .orElseThrow(() -> new ApiException(400, "bad_request", "the body is empty"));
    } catch (JacksonException e) {
      throw new ApiException(
          400, "bad_request", "the body is not a valid batch: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ApiException(400, "bad_request", "the body cannot be read: " + e.getMessage());
    }
  }
}
