package dev.ajr.server.ingest.loki;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Reads the answer of Loki's {@code GET /loki/api/v1/query_range} to a log query:
 *
 * <pre>{"status": "success", "data": {"resultType": "streams", "result": [{"stream": {...},
 * "values": [["&lt;unix ns&gt;", "&lt;line&gt;"], ...]}], "stats": {...}}}</pre>
 *
 * <p>Contract: fields may come in any order and unknown ones are skipped; a third element of a
 * value (structured metadata, as Loki sends with {@code X-Loki-Response-Encoding-Flags:
 * categorize-labels}) becomes the entry's metadata. A status other than {@code success}, a metric
 * answer ({@code matrix} or {@code vector}) or anything malformed is a {@link LokiFormatException}
 * that says so. Lines are cut to {@code maxLineBytes} as by the push decoder.
 */
public final class LokiQueryResponse {

  private final LokiJson json;

  /**
   * @param maxLineBytes the longest line kept whole, in UTF-8 bytes (at least 4)
   */
  public LokiQueryResponse(int maxLineBytes) {
    this.json = new LokiJson(new LineCutter(maxLineBytes), LokiJson.Kind.QUERY_ANSWER, 0);
  }

  /** Parses an answer held in memory. */
  public List<LokiStream> parse(byte[] body) throws LokiFormatException {
    try {
      return parse(new ByteArrayInputStream(body));
    } catch (IOException e) {
      // The source is in memory: a read failure can only come from the content.
      throw new LokiFormatException("the answer cannot be read as JSON: " + e.getMessage());
    }
  }

  /**
   * Parses an answer as it is read.
   *
   * @throws IOException when reading the stream fails (not when its content is wrong)
   */
  public List<LokiStream> parse(InputStream body) throws IOException, LokiFormatException {
    try (JsonParser p = json.parser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw LokiJson.error(p, "a Loki query answer must be a JSON object");
      }
      String status = null;
      String error = null;
      Data data = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "status" -> status = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case "error" -> error = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case "data" -> data = data(p);
          default -> {
            if (value.isStructStart()) {
              p.skipChildren();
            }
          }
        }
      }
      if (!"success".equals(status)) {
        throw new LokiFormatException(
            "Loki answered with status "
                + (status == null ? "(none)" : "'" + status + "'")
                + (error == null ? "" : ": " + error));
      }
      if (data == null) {
        throw new LokiFormatException("Loki's answer has no \"data\"");
      }
      if (data.resultType() == null) {
        throw new LokiFormatException("Loki's answer has no data.resultType");
      }
      requireStreams(data.resultType());
      return data.streams() == null ? List.of() : data.streams();
    } catch (JsonProcessingException e) {
      throw LokiJson.notJson(e);
    }
  }

  private record Data(String resultType, List<LokiStream> streams) {}

  private Data data(JsonParser p) throws IOException, LokiFormatException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw LokiJson.error(p, "\"data\" must be an object");
    }
    String resultType = null;
    List<LokiStream> streams = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("resultType") && value == JsonToken.VALUE_STRING) {
        resultType = p.getText();
        requireStreams(resultType);
      } else if (field.equals("result")) {
        if (resultType != null) {
          requireStreams(resultType);
        }
        streams = json.streams(p);
      } else if (value.isStructStart()) {
        p.skipChildren();
      }
    }
    return new Data(resultType, streams);
  }

  private static void requireStreams(String resultType) throws LokiFormatException {
    if (resultType.equals("streams")) {
      return;
    }
    if (resultType.equals("matrix") || resultType.equals("vector")) {
      throw new LokiFormatException(
          "Loki answered with a "
              + resultType
              + ": the query is a metric query, but ajr needs a log query (a stream selector"
              + " such as {job=\"slurm\"}, optionally with line filters)");
    }
    throw new LokiFormatException(
        "Loki answered with resultType '" + resultType + "'; ajr needs 'streams'");
  }
}
