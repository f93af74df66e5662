package dev.ajr.server.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ajr.core.node.NodeHealth;
import dev.ajr.core.node.NodeRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The hardware-recovery webhook against a real local HTTP receiver. */
class RepairWebhookTest {

  private static final NodeRecord DRAINED =
      new NodeRecord(
          "node3",
          NodeHealth.DRAINED,
          "the kernel log of node3 shows GPU_HARDWARE (gpu.xid.hardware): NVRM: Xid 79",
          "NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.",
          7,
          Instant.parse("2026-11-27T10:00:00Z"));

  @Test
  void postsTheDrainedNodeWithItsEvidenceAndTheCallbackPath() throws Exception {
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/ahr/nodes",
        exchange -> {
          received.add(new ObjectMapper().readTree(exchange.getRequestBody()));
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    receiver.start();
    try {
      new RepairWebhook(
              URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/ahr/nodes"))
          .requestRepair(DRAINED);
      assertThat(received).hasSize(1);
      JsonNode body = received.get(0);
      assertThat(body.path("node").asText()).isEqualTo("node3");
      assertThat(body.path("evidence").asText()).contains("Xid (PCI:0000:3b:00): 79");
      assertThat(body.path("reason").asText()).contains("GPU_HARDWARE");
      assertThat(body.path("repaired").asText()).isEqualTo("/api/v1/nodes/node3/repaired");
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void aRefusalOrNoServiceIsAnErrorThatSaysSo() throws Exception {
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    receiver.start();
    int port = receiver.getAddress().getPort();
    try {
      assertThatThrownBy(() ->
              new RepairWebhook(URI.create("http://127.0.0.1:" + port)).requestRepair(DRAINED))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("answered 500");
    } finally {
      receiver.stop(0);
    }
    assertThatThrownBy(
            () -> new RepairWebhook(URI.create("http://127.0.0.1:" + port)).requestRepair(DRAINED))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot be reached");
  }
}
