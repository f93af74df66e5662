package dev.ajr.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.event.AjrEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Routing keys and the JSON envelope of every event type, and docs/events.md that describes them.
 */
class EventMessagesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyTypeHasItsRoutingKey() {
    List<AjrEvent> events = SampleEvents.all(24);
    List<String> keys =
        events.stream().map(e -> EventMessages.of(e, SampleEvents.T0).routingKey()).toList();

    assertThat(keys).containsExactlyElementsOf(SampleEvents.KEYS);
  }

  @Test
  void theEnvelopeCarriesIdSchemaTypeTimeAndJob() throws Exception {
    UUID id = UUID.randomUUID();
    EventMessages.Message m =
        EventMessages.of(
            new AjrEvent.AnomalyDetected(SampleEvents.anomaly(24)), SampleEvents.T0, id);
    JsonNode env = JSON.readTree(m.json());

    assertThat(m.id()).isEqualTo(id);
    assertThat(env.get("id").asText()).isEqualTo(id.toString());
    assertThat(env.get("schema").asText()).isEqualTo("ajr.event.v1");
    assertThat(env.get("type").asText()).isEqualTo("anomaly.detected").isEqualTo(m.type());
    assertThat(env.get("time").asText()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(env.get("jobId").asLong()).isEqualTo(24);
    JsonNode data = env.get("data");
    assertThat(data.get("cause").asText()).isEqualTo("CRASH_SEGFAULT");
    assertThat(data.get("line").asText())
        .isEqualTo("Rank0: (1) segmentation fault: artificial segfault");
    assertThat(data.get("detectedAt").asText()).isEqualTo("2026-03-01T10:00:30.147Z");
    assertThat(data.get("lineNumber").asLong()).isEqualTo(42);
  }

  @Test
  void aJobAndItsDirectiveAreWrittenOut() throws Exception {
    JsonNode data =
        JSON.readTree(
                EventMessages.of(new AjrEvent.JobDiscovered(SampleEvents.job(24)), SampleEvents.T0)
                    .json())
            .get("data");

    assertThat(data.get("user").asText()).isEqualTo("alice");
    assertThat(data.get("directive").get("kind").asText()).isEqualTo("valid");
    assertThat(data.get("directive").get("mode").asText()).isEqualTo("REQUEUE");
    assertThat(data.get("directive").get("maxRequeueTimes").asInt()).isEqualTo(1);
    assertThat(data.get("gpus").asInt()).isEqualTo(8);
  }

  @Test
  void eachEventGetsItsOwnId() {
    AjrEvent e = SampleEvents.all(24).get(0);

    assertThat(EventMessages.of(e, SampleEvents.T0).id())
        .isNotEqualTo(EventMessages.of(e, SampleEvents.T0).id());
  }

  @Test
  void docsDescribeEveryTypeEveryFieldAndEveryRoutingKey() throws Exception {
    String docs = Files.readString(Path.of("..", "docs", "events.md"));
    for (AjrEvent e : SampleEvents.all(24)) {
      EventMessages.Message m = EventMessages.of(e, SampleEvents.T0);
      assertThat(docs).as("docs/events.md on %s", m.type()).contains("`" + m.type() + "`");
      JsonNode data = JSON.readTree(m.json()).get("data");
      data.fieldNames()
          .forEachRemaining(
              f -> assertThat(docs).as("field %s of %s", f, m.type()).contains("`" + f + "`"));
    }
    for (String pattern :
        List.of(
            "job.discovered",
            "attempt.<state>",
            "anomaly.detected.<cause>",
            "decision.<operation>",
            "recovery.<kind>.<state>",
            "job.status.<status>",
            "node.<health>")) {
      assertThat(docs).contains("`" + pattern + "`");
    }
    assertThat(Files.readString(Path.of("..", "README.md"))).contains("docs/events.md");
  }
}
