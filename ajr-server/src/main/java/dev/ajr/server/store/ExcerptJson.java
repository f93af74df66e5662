package dev.ajr.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.json.Json;
import dev.ajr.core.store.StoreException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of an anomaly's log excerpt: {@code [{"lineNumber": n, "text": "...", "root":
 * true|false}]}. A missing excerpt (NULL) reads as an empty list.
 */
final class ExcerptJson {

  private static final ObjectMapper JSON = Json.MAPPER;

  private ExcerptJson() {}

  static String write(List<ExcerptLine> lines) {
    ArrayNode array = JSON.createArrayNode();
    for (ExcerptLine l : lines) {
      array
          .addObject()
          .put("lineNumber", l.lineNumber())
          .put("text", l.text())
          .put("root", l.root());
    }
    try {
      return JSON.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot write a log excerpt as JSON", e);
    }
  }

  static List<ExcerptLine> read(String json) {
    if (json == null || json.isEmpty()) {
      return List.of();
    }
    JsonNode array;
    try {
      array = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored log excerpt is not JSON", e);
    }
    List<ExcerptLine> lines = new ArrayList<>();
    for (JsonNode n : array) {
      lines.add(
          new ExcerptLine(
              n.path("lineNumber").asLong(),
              n.path("text").asText(""),
              n.path("root").asBoolean()));
    }
    return List.copyOf(lines);
  }
}
