package dev.ajr.server.ingest.loki;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a push body in protobuf: a decompressed {@code logproto.PushRequest} (Loki's {@code
 * pkg/push/push.proto}) with its streams, entries, timestamps and structured metadata, through
 * {@link ProtoWireReader} and without generated classes. Unknown fields are skipped; lines are cut
 * by the {@link LineCutter}; whatever else is wrong is a {@link LokiFormatException}. Stateless and
 * thread-safe.
 */
final class LokiProtobuf {

  private final LineCutter cutter;

  LokiProtobuf(LineCutter cutter) {
    this.cutter = cutter;
  }

  /** The streams of a decompressed {@code PushRequest}, in the order received. */
  List<LokiStream> streams(byte[] body) throws LokiFormatException {
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
