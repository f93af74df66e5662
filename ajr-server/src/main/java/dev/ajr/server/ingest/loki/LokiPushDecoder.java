package dev.ajr.server.ingest.loki;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Decodes the body of {@code POST /loki/api/v1/push} as Promtail, Grafana Alloy, Fluent Bit and
 * Vector send it.
 *
 * <p>Formats, chosen as Loki chooses them: {@code Content-Type: application/json} is the JSON
 * format of Loki's HTTP API ({@code {"streams": [{"stream": {...}, "values": [["<unix ns>",
 * "<line>", {<structured metadata>}]]}]}}); any other type, or none, is a Snappy block-compressed
 * protobuf {@code logproto.PushRequest} (Loki's {@code pkg/push/push.proto}). {@code
 * Content-Encoding} may be absent, {@code gzip}, {@code deflate} or {@code snappy} (which only
 * restates the protobuf's own compression).
 *
 * <p>Contract: the body may be at most {@code maxBodyBytes} long, compressed and again decompressed
 * (the size Snappy declares is checked before anything is allocated); lines longer than {@code
 * maxLineBytes} UTF-8 bytes are cut and marked truncated; bytes that are not UTF-8 are replaced.
 * Whatever the body holds, the only failure is a {@link LokiFormatException} whose message says
 * what is wrong, to be answered with 400, or what the {@code decoded} callback throws. Stateless
 * and thread-safe.
 *
 * <p>This class chooses the format and reads JSON (through {@link LokiJson}); {@link
 * PushDecompressor} undoes the compressions and {@link LokiProtobuf} reads the protobuf.
 */
public final class LokiPushDecoder {

  private static final String JSON = "application/json";

  private final int maxBodyBytes;
  private final PushDecompressor decompressor;
  private final LokiJson json;
  private final LokiProtobuf protobuf;

  /**
   * @param maxBodyBytes the largest body accepted, compressed or decompressed
   * @param maxLineBytes the longest line kept whole, in UTF-8 bytes (at least 4)
   */
  public LokiPushDecoder(int maxBodyBytes, int maxLineBytes) {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    LineCutter cutter = new LineCutter(maxLineBytes);
    this.decompressor = new PushDecompressor(maxBodyBytes);
    this.json = new LokiJson(cutter, LokiJson.Kind.PUSH, maxBodyBytes);
    this.protobuf = new LokiProtobuf(cutter);
  }

  /**
   * Reads a request body, refusing one longer than {@code maxBodyBytes} without reading all of it.
   */
  public byte[] readBody(InputStream in) throws IOException, LokiFormatException {
    byte[] body = in.readNBytes(maxBodyBytes);
    if (body.length == maxBodyBytes && in.read() != -1) {
      throw decompressor.tooLarge("the body is");
    }
    return body;
  }

  /**
   * Decodes one push body.
   *
   * @param contentType the request's Content-Type (parameters such as charset are ignored), or null
   * @param contentEncoding the request's Content-Encoding, or null
   * @return the streams in the order received, each with its entries in the order received
   */
  public List<LokiStream> decode(String contentType, String contentEncoding, byte[] body)
      throws LokiFormatException {
    return decode(contentType, contentEncoding, body, bytes -> {});
  }

  /**
   * Decodes one push body, telling {@code decoded} of the bytes it decompresses to before they are
   * kept (Snappy's declared length before anything is allocated, gzip and deflate output piece by
   * piece), so that a caller can bound them; what {@code decoded} throws stops the decoding and is
   * thrown as it is.
   */
  public List<LokiStream> decode(
      String contentType, String contentEncoding, byte[] body, LongConsumer decoded)
      throws LokiFormatException {
    if (body.length > maxBodyBytes) {
      throw decompressor.tooLarge("the body is " + body.length + " bytes,");
    }
    String type = mediaType(contentType);
    String encoding =
        contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    boolean snappy = !type.equals(JSON) || encoding.equals("snappy");
    byte[] plain =
        switch (encoding) {
          case "", "identity", "snappy" -> body;
          case "gzip", "x-gzip" -> decompressor.gunzip(body, decoded);
          case "deflate" -> decompressor.inflate(body, decoded);
          default ->
              throw new LokiFormatException(
                  "Content-Encoding '"
                      + contentEncoding
                      + "' is not supported; send the body uncompressed, gzip or deflate");
        };
    if (snappy) {
      plain = decompressor.unsnappy(plain, type, decoded);
    }
    return type.equals(JSON) ? decodeJson(plain) : protobuf.streams(plain);
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  private List<LokiStream> decodeJson(byte[] body) throws LokiFormatException {
    try (JsonParser p = json.parser(new ByteArrayInputStream(body))) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw LokiJson.error(
            p,
            "a JSON push must be an object {\"streams\": [...]}"
                + (first == null ? "; the body is empty" : ""));
      }
      List<LokiStream> streams = List.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("streams")) {
          streams = json.streams(p);
        } else if (value.isStructStart()) {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw LokiJson.error(p, "unexpected text after the JSON object");
      }
      return streams;
    } catch (JsonProcessingException e) {
      throw LokiJson.notJson(e);
    } catch (IOException e) {
      // The source is in memory: a read failure can only come from the content.
      throw new LokiFormatException("the body cannot be read as JSON: " + e.getMessage());
    }
  }
}
