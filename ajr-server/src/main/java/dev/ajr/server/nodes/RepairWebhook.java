package dev.ajr.server.nodes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.node.NodeIsolator;
import dev.ajr.core.node.NodeRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  private final URI url;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  public RepairWebhook(URI url) {
    this.url = url;
  }

  @Override
  public void requestRepair(NodeRecord node) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("node", node.name());
    body.put("reason", node.reason());
    body.put("evidence", node.evidence());
    body.put("since", node.since().toString());
    body.put("repaired", "/api/v1/nodes/" + node.name() + "/repaired");
    HttpResponse<String> answer;
    try {
      answer =
          http.send(
              HttpRequest.newBuilder(url)
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw new IOException(url.getHost() + " cannot be reached (" + why + ")", e);
    }
    if (answer.statusCode() / 100 != 2) {
      throw new IOException(url.getHost() + " answered " + answer.statusCode());
    }
  }
}
