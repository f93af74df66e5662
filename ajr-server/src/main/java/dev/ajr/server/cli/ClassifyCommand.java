package dev.ajr.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ajr.core.diagnosis.Diagnosis;
import dev.ajr.core.diagnosis.RuleEngine;
import dev.ajr.core.json.Json;
import dev.ajr.server.rules.LogDiagnosis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code ajr classify}: reads JSON Lines {@code {"id": ..., "text": ...}} and writes, in input
 * order, one line per input {@code {"id", "cause", "type", "action", "nodes", "devices", "rule",
 * "line"}} (a stable interface other tools rely on; the README shows it). A text may hold many
 * lines (one excerpt); its root cause is reported. An input line that is not such an object gets
 * {@code {"id": null, "error": "..."}} and the rest go on.
 */
final class ClassifyCommand {

  private static final ObjectMapper JSON = Json.MAPPER;

  private final RuleEngine engine;

  ClassifyCommand(RuleEngine engine) {
    this.engine = engine;
  }

  int run(BufferedReader in, PrintStream out) throws IOException {
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      out.println(JSON.writeValueAsString(classify(line, number)));
    }
    out.flush();
    return 0;
  }

  private ObjectNode classify(String input, int number) {
    ObjectNode result = JSON.createObjectNode();
    JsonNode request;
    try {
      request = JSON.readTree(input);
    } catch (IOException e) {
      result.putNull("id");
      result.put("error", "input line " + number + " is not JSON");
      return result;
    }
    if (request == null || !request.isObject() || !request.hasNonNull("text")) {
      result.putNull("id");
      result.put("error", "input line " + number + " has no \"text\"");
      return result;
    }
    result.set("id", request.get("id"));
    Diagnosis d = LogDiagnosis.of(engine, request.get("text").asText());
    result.put("cause", d.cause().name());
    if (d.type() == null) {
      result.putNull("type");
    } else {
      result.put("type", d.type().name());
    }
    result.put("action", d.action().name());
    d.nodes().forEach(result.putArray("nodes")::add);
    if (d.nodes().isEmpty()) {
      result.putArray("nodes");
    }
    d.devices().forEach(result.putArray("devices")::add);
    if (d.devices().isEmpty()) {
      result.putArray("devices");
    }
    if (d.root().isPresent()) {
      result.put("rule", d.root().get().rule().id());
      result.put("line", d.root().get().line());
    } else {
      result.putNull("rule");
      result.putNull("line");
    }
    return result;
  }
}
