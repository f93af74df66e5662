package dev.ajr.server.config.option;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A value as written, before it is typed: text (a YAML list is joined with commas), or the YAML of
 * a structured option.
 *
 * @param text the value as written; empty for a structured value
 * @param node the YAML of a structured option, or null
 */
public record RawValue(String text, JsonNode node, Source source) {

  public static RawValue text(String text, Source source) {
    return new RawValue(text == null ? "" : text, null, source);
  }

  public static RawValue structured(JsonNode node, Source source) {
    return new RawValue("", node, source);
  }

  /** As shown on the settings page: the text, or the structured value as JSON. */
  public String shown() {
    return node == null ? text : node.toString();
  }
}
