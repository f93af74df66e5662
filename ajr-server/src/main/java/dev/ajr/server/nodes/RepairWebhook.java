package dev.ajr.server.nodes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.json.Json;
import dev.ajr.core.node.NodeIsolator;
import dev.ajr.core.node.NodeRecord;
import dev.ajr.server.outbound.HttpPoster;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells a hardware-recovery service (the installation guide's AHR integration) about a node ajr
 * drained: {@code POST} of {@code {"node", "reason", "evidence", "since", "repaired"}} where {@code
 * repaired} is the path to call back ({@code POST /api/v1/nodes/{node}/repaired}, with an
 * operator's token) once the node is fixed. A 2xx answer means the service took the node.
 */
public final class RepairWebhook implements NodeIsolator.RepairService {

  private final HttpPoster poster;
  private final ObjectMapper json = Json.MAPPER;

  public RepairWebhook(URI url) {
    this.poster = new HttpPoster(url, Duration.ofSeconds(10));
  }

  @Override
  public void requestRepair(NodeRecord node) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("node", node.name());
    body.put("reason", node.reason());
    body.put("evidence", node.evidence());
    body.put("since", node.since().toString());
    body.put("repaired", "/api/v1/nodes/" + node.name() + "/repaired");
    poster.post(json.writeValueAsBytes(body));
  }
}
