package dev.ajr.server.ingest.loki;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON stream objects Loki uses both in push bodies and in query answers, with a
 * streaming parser so that a large body is never held as a tree:
 *
 * <pre>{"stream": {"label": "value"}, "values": [["&lt;unix ns&gt;", "line", {"meta": "data"}]]}
 * </pre>
 *
 * <p>Contract: input bytes that are not UTF-8 are replaced, lines are cut by the {@link
 * LineCutter}, unknown fields are skipped; whatever else is wrong is a {@link LokiFormatException}
 * naming the stream and entry (counted from 1) and the place in the text.
 */
final class LokiJson {

  /** Which document is read: push bodies and query answers differ in small ways. */
  enum Kind {
    PUSH,
    QUERY_ANSWER
  }

  private final JsonFactory factory;
  private final LineCutter cutter;
  private final Kind kind;

  /**
   * @param maxStringChars the longest string the parser accepts at all (lines are cut later)
   */
  LokiJson(LineCutter cutter, Kind kind, int maxStringChars) {
    this.cutter = cutter;
    this.kind = kind;
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxStringLength(
                        Math.max(maxStringChars, StreamReadConstraints.DEFAULT_MAX_STRING_LEN))
                    .build())
            .build();
  }

  /** A parser over UTF-8 bytes, malformed bytes replaced by U+FFFD. */
  JsonParser parser(InputStream in) throws IOException {
    return factory.createParser(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** Reads an array of stream objects; the parser is at its START_ARRAY (or at a null). */
  List<LokiStream> streams(JsonParser p) throws IOException, LokiFormatException {
    List<LokiStream> streams = new ArrayList<>();
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return streams;
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw error(p, "\"" + p.currentName() + "\" must be an array of streams");
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      streams.add(stream(p, streams.size() + 1));
    }
    return streams;
  }

  private LokiStream stream(JsonParser p, int number) throws IOException, LokiFormatException {
    String where = "stream " + number;
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(p, where + " must be an object with \"stream\" and \"values\"");
    }
    Map<String, String> labels = null;
    List<LokiEntry> entries = new ArrayList<>();
    boolean legacy = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "stream" -> labels = stringMap(p, where + " labels", false);
        case "values" -> entries(p, where, entries);
        case "metric" ->
            throw error(
                p,
                "this is the answer to a metric query (it has \"metric\" where a log query has"
                    + " \"stream\"); ajr needs a log query: a stream selector such as"
                    + " {job=\"slurm\"}, optionally with line filters");
        default -> {
          legacy |= field.equals("labels") || field.equals("entries");
          if (value.isStructStart()) {
            p.skipChildren();
          }
        }
      }
    }
    if (labels == null) {
      throw error(
          p,
          where
              + (legacy
                  ? " is in the old /api/prom/push format (\"labels\", \"entries\"); send"
                      + " {\"stream\": {...}, \"values\": [[\"<unix ns>\", \"<line>\"]]}"
                  : " has no \"stream\" object with its labels"));
    }
    return new LokiStream(labels, entries);
  }

  private void entries(JsonParser p, String where, List<LokiEntry> into)
      throws IOException, LokiFormatException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw error(p, where + ": \"values\" must be an array of [\"<unix ns>\", \"<line>\"]");
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      into.add(entry(p, where + ", entry " + (into.size() + 1)));
    }
  }

  private LokiEntry entry(JsonParser p, String where) throws IOException, LokiFormatException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw error(p, where + " must be an array [\"<unix ns>\", \"<line>\"]");
    }
    if (p.nextToken() == JsonToken.END_ARRAY) {
      throw error(p, where + " is empty; it needs a timestamp and a line");
    }
    long timestamp = timestamp(p, where);
    JsonToken lineToken = p.nextToken();
    if (lineToken != JsonToken.VALUE_STRING) {
      throw error(
          p,
          where
              + (lineToken == JsonToken.END_ARRAY
                  ? " has a timestamp but no line"
                  : ": the line must be a string"));
    }
    LineCutter.Cut line = cutter.cut(p.getText());
    Map<String, String> metadata = Map.of();
    JsonToken next = p.nextToken();
    if (next == JsonToken.START_OBJECT) {
      metadata = stringMap(p, where + " structured metadata", true);
      next = p.nextToken();
    } else if (next == JsonToken.VALUE_NULL) {
      next = p.nextToken();
    }
    while (next != JsonToken.END_ARRAY) {
      if (next == null) {
        throw error(p, "the text ends inside " + where);
      }
      if (next.isStructStart()) {
        p.skipChildren();
      }
      next = p.nextToken();
    }
    return new LokiEntry(timestamp, line.text(), line.truncated(), metadata);
  }

  private long timestamp(JsonParser p, String where) throws IOException, LokiFormatException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT) {
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw error(p, where + ": the timestamp " + p.getText() + " is out of range");
      }
      return p.getLongValue();
    }
    if (token == JsonToken.VALUE_STRING) {
      String text = p.getText();
      if (!text.isEmpty()
          && text.length() <= 19
          && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw error(p, where + ": the timestamp " + text + " is out of range");
        }
      }
      throw error(
          p,
          where
              + ": the timestamp \""
              + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
              + "\" is not Unix epoch nanoseconds such as \"1570818238000000000\"");
    }
    throw error(
        p, where + ": the timestamp must be a string of Unix epoch nanoseconds, got " + token);
  }

  /**
   * Reads an object of string values. In a query answer's entry metadata (categorized labels), the
   * nested object "structuredMetadata" is flattened in and "parsed" is left out.
   */
  private Map<String, String> stringMap(JsonParser p, String what, boolean entryMetadata)
      throws IOException, LokiFormatException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(p, what + " must be an object of strings");
    }
    Map<String, String> map = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_STRING) {
        map.put(name, p.getText());
      } else if (entryMetadata && kind == Kind.QUERY_ANSWER && value == JsonToken.START_OBJECT) {
        if (name.equals("structuredMetadata")) {
          map.putAll(stringMap(p, what, false));
        } else {
          p.skipChildren();
        }
      } else {
        throw error(p, what + ": the value of \"" + name + "\" must be a string");
      }
    }
    return map;
  }

  /** A Jackson error as the body's fault, with where it happened. */
  static LokiFormatException notJson(JsonProcessingException e) {
    var location = e.getLocation();
    return new LokiFormatException(
        "the body is not valid JSON: "
            + e.getOriginalMessage()
            + (location == null
                ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"),
        e);
  }

  static LokiFormatException error(JsonParser p, String problem) {
    var location = p.currentLocation();
    return new LokiFormatException(
        problem + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")");
  }
}
