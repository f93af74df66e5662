package dev.ajr.server.ingest.loki;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyError;
import org.xerial.snappy.SnappyErrorCode;

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
 * what is wrong, to be answered with 400. Stateless and thread-safe.
 */
public final class LokiPushDecoder {

  private static final String JSON = "application/json";

  private final int maxBodyBytes;
  private final LineCutter cutter;
  private final LokiJson json;

  /**
   * @param maxBodyBytes the largest body accepted, compressed or decompressed
   * @param maxLineBytes the longest line kept whole, in UTF-8 bytes (at least 4)
   */
  public LokiPushDecoder(int maxBodyBytes, int maxLineBytes) {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    this.cutter = new LineCutter(maxLineBytes);
    this.json = new LokiJson(cutter, LokiJson.Kind.PUSH, maxBodyBytes);
  }

  /**
   * Reads a request body, refusing one longer than {@code maxBodyBytes} without reading all of it.
   */
  public byte[] readBody(InputStream in) throws IOException, LokiFormatException {
    byte[] body = in.readNBytes(maxBodyBytes);
    if (body.length == maxBodyBytes && in.read() != -1) {
      throw tooLarge("the body is");
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
    if (body.length > maxBodyBytes) {
      throw tooLarge("the body is " + body.length + " bytes,");
    }
    String type = mediaType(contentType);
    String encoding =
        contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    boolean snappy = !type.equals(JSON) || encoding.equals("snappy");
    byte[] plain =
        switch (encoding) {
          case "", "identity", "snappy" -> body;
          case "gzip", "x-gzip" -> inflate(gzip(body), "gzip");
          case "deflate" -> inflate(deflate(body), "deflate");
          default ->
              throw new LokiFormatException(
                  "Content-Encoding '"
                      + contentEncoding
                      + "' is not supported; send the body uncompressed, gzip or deflate");
        };
    if (snappy) {
      plain = unsnappy(plain, type);
    }
    return type.equals(JSON) ? decodeJson(plain) : decodeProtobuf(plain);
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  // --- decompression ---

  private static InputStream gzip(byte[] body) throws LokiFormatException {
    try {
      return new GZIPInputStream(new ByteArrayInputStream(body));
    } catch (IOException e) {
      throw new LokiFormatException(
          "Content-Encoding is gzip but the body is not gzip data (" + e.getMessage() + ")");
    }
  }

  /** HTTP's deflate is zlib-wrapped; Go's (and so Loki's) is raw: both are accepted. */
  private static InputStream deflate(byte[] body) {
    boolean zlib =
        body.length >= 2
            && (body[0] & 0x0F) == 8
            && (((body[0] & 0xFF) << 8) | (body[1] & 0xFF)) % 31 == 0;
    return new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(!zlib));
  }

  private byte[] inflate(InputStream in, String encoding) throws LokiFormatException {
    try (in) {
      byte[] plain = in.readNBytes(maxBodyBytes);
      if (plain.length == maxBodyBytes && in.read() != -1) {
        throw tooLarge("the body decompresses to");
      }
      return plain;
    } catch (IOException e) {
      // The source is in memory: any failure (ZipException, EOFException) is the data's.
      throw new LokiFormatException(
          "Content-Encoding is "
              + encoding
              + " but the body is not complete "
              + encoding
              + " data ("
              + e.getMessage()
              + ")");
    }
  }

  private byte[] unsnappy(byte[] body, String type) throws LokiFormatException {
    if (body.length == 0) {
      throw new LokiFormatException(
          "the body is empty; a protobuf push is a Snappy-compressed logproto.PushRequest");
    }
    long declared = declaredLength(body);
    if (declared > maxBodyBytes) {
      throw tooLarge("the body declares that it decompresses to " + declared + " bytes,");
    }
    byte[] plain;
    try {
      int length = Snappy.uncompressedLength(body);
      if (length != declared) {
        throw notSnappy(body, type, "its length header cannot be read");
      }
      plain = new byte[length];
      if (Snappy.uncompress(body, 0, body.length, plain, 0) != length) {
        throw notSnappy(body, type, "it decompresses to fewer bytes than it declares");
      }
    } catch (IOException e) {
      throw notSnappy(body, type, e.getMessage());
    } catch (SnappyError e) {
      if (e.errorCode == SnappyErrorCode.FAILED_TO_LOAD_NATIVE_LIBRARY
          || e.errorCode == SnappyErrorCode.UNSUPPORTED_PLATFORM) {
        throw new IllegalStateException(
            "cannot decompress Snappy: snappy-java's native library does not load here ("
                + e.getMessage()
                + ")",
            e);
      }
      throw notSnappy(body, type, e.getMessage());
    }
    return plain;
  }

  /**
   * The decompressed length a Snappy block declares in its header (a varint of up to five bytes),
   * or -1 when the header is malformed.
   */
  private static long declaredLength(byte[] body) {
    long length = 0;
    for (int i = 0; i < Math.min(5, body.length); i++) {
      length |= (long) (body[i] & 0x7F) << (7 * i);
      if (body[i] >= 0) {
        return length;
      }
    }
    return -1;
  }

  private static LokiFormatException notSnappy(byte[] body, String type, String detail) {
    String hint;
    if (startsWith(body, 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y')) {
      hint = "it is in Snappy's framed (stream) format; Loki's push API uses the block format";
    } else if (startsWith(body, 0x1f, 0x8b)) {
      hint = "it looks gzip-compressed: send Content-Encoding: gzip";
    } else if (firstNonSpace(body) == '{') {
      hint = "it looks like JSON: send Content-Type: application/json";
    } else {
      hint =
          "a push of Content-Type "
              + (type.isEmpty() ? "(none)" : type)
              + " must be a Snappy block-compressed protobuf logproto.PushRequest, or send"
              + " Content-Type: application/json";
    }
    return new LokiFormatException(
        "the body is not Snappy-compressed data (" + detail + "); " + hint);
  }

  private static boolean startsWith(byte[] body, int... prefix) {
    if (body.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((body[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int firstNonSpace(byte[] body) {
    for (byte b : body) {
      if (!Character.isWhitespace(b)) {
        return b;
      }
    }
    return -1;
  }

  private LokiFormatException tooLarge(String what) {
    return new LokiFormatException(what + " more than the limit of " + maxBodyBytes + " bytes");
  }

  // --- JSON ---

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

  // --- protobuf ---

  private List<LokiStream> decodeProtobuf(byte[] body) throws LokiFormatException {
    ProtoWireReader request = new ProtoWireReader(body, 0, body.length, "PushRequest");
    List<LokiStream> streams = new ArrayList<>();
    while (!request.atEnd()) {
      int tag = request.readTag();
      if (ProtoWireReader.fieldNumber(tag) == 1) {
        requireLengthDelimited(request, tag, "streams");
        streams.add(stream(request.readMessage("StreamAdapter " + (streams.size() + 1))));
      } else {
        request.skipField(tag);
      }
    }
    return streams;
  }

  private LokiStream stream(ProtoWireReader in) throws LokiFormatException {
    String labels = null;
    List<LokiEntry> entries = new ArrayList<>();
    while (!in.atEnd()) {
      int tag = in.readTag();
      switch (ProtoWireReader.fieldNumber(tag)) {
        case 1 -> {
          requireLengthDelimited(in, tag, "labels");
          labels = string(in);
        }
        case 2 -> {
          requireLengthDelimited(in, tag, "entries");
          entries.add(entry(in.readMessage("EntryAdapter " + (entries.size() + 1))));
        }
        default -> in.skipField(tag);
      }
    }
    if (labels == null || labels.isBlank()) {
      throw new LokiFormatException("a stream of the push has no labels");
    }
    return new LokiStream(LabelSetParser.parse(labels), entries);
  }

  private LokiEntry entry(ProtoWireReader in) throws LokiFormatException {
    long timestamp = 0;
    LineCutter.Cut line = new LineCutter.Cut("", false);
    Map<String, String> metadata = new LinkedHashMap<>();
    while (!in.atEnd()) {
      int tag = in.readTag();
      switch (ProtoWireReader.fieldNumber(tag)) {
        case 1 -> {
          requireLengthDelimited(in, tag, "timestamp");
          timestamp = timestamp(in.readMessage("Timestamp"));
        }
        case 2 -> {
          requireLengthDelimited(in, tag, "line");
          int length = in.readLength();
          line = cutter.cut(in.bytes(), in.advance(length), length);
        }
        case 3 -> {
          requireLengthDelimited(in, tag, "structuredMetadata");
          labelPair(in.readMessage("LabelPairAdapter"), metadata);
        }
        default -> in.skipField(tag); // 4 (parsed) is only for query answers
      }
    }
    return new LokiEntry(timestamp, line.text(), line.truncated(), metadata);
  }

  private static long timestamp(ProtoWireReader in) throws LokiFormatException {
    long seconds = 0;
    long nanos = 0;
    while (!in.atEnd()) {
      int tag = in.readTag();
      int field = ProtoWireReader.fieldNumber(tag);
      if (field == 1 || field == 2) {
        if (ProtoWireReader.wireType(tag) != ProtoWireReader.VARINT) {
          throw in.wrongType(tag, field == 1 ? "seconds" : "nanos", "varint");
        }
        long value = in.readVarint();
        if (field == 1) {
          seconds = value;
        } else {
          nanos = (int) value; // an int32 on the wire
        }
      } else {
        in.skipField(tag);
      }
    }
    if (nanos < 0 || nanos > 999_999_999) {
      throw new LokiFormatException(
          "an entry's timestamp has nanos " + nanos + ", outside 0 to 999999999");
    }
    try {
      return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
    } catch (ArithmeticException e) {
      throw new LokiFormatException(
          "an entry's timestamp (" + seconds + " s) is out of range of Unix nanoseconds");
    }
  }

  private static void labelPair(ProtoWireReader in, Map<String, String> into)
      throws LokiFormatException {
    String name = "";
    String value = "";
    while (!in.atEnd()) {
      int tag = in.readTag();
      int field = ProtoWireReader.fieldNumber(tag);
      if (field == 1 || field == 2) {
        requireLengthDelimited(in, tag, field == 1 ? "name" : "value");
        String text = string(in);
        if (field == 1) {
          name = text;
        } else {
          value = text;
        }
      } else {
        in.skipField(tag);
      }
    }
    into.put(name, value);
  }

  private static String string(ProtoWireReader in) throws LokiFormatException {
    int length = in.readLength();
    return new String(in.bytes(), in.advance(length), length, StandardCharsets.UTF_8);
  }

  private static void requireLengthDelimited(ProtoWireReader in, int tag, String field)
      throws LokiFormatException {
    if (ProtoWireReader.wireType(tag) != ProtoWireReader.LENGTH_DELIMITED) {
      throw in.wrongType(tag, field, "length-delimited");
    }
  }
}
