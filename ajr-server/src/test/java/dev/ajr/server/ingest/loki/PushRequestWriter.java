package dev.ajr.server.ingest.loki;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code logproto.PushRequest} bodies with protobuf-java's own encoder, following Loki's
 * pkg/push/push.proto field numbers: PushRequest{streams=1, format=2}, StreamAdapter{labels=1,
 * entries=2, hash=3}, EntryAdapter{timestamp=1, line=2, structuredMetadata=3, parsed=4},
 * google.protobuf.Timestamp{seconds=1, nanos=2}, LabelPairAdapter{name=1, value=2}.
 */
public final class PushRequestWriter {

  /** Writes the fields of one message. */
  @FunctionalInterface
  interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] message(Fields fields) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      fields.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] timestamp(long seconds, int nanos) {
    return message(out -> {
      out.writeInt64(1, seconds);
      out.writeInt32(2, nanos);
    });
  }

  static byte[] labelPair(String name, String value) {
    return message(out -> {
      out.writeString(1, name);
      out.writeString(2, value);
    });
  }

  public static byte[] entry(long seconds, int nanos, String line, Map<String, String> metadata) {
    return entry(seconds, nanos, line.getBytes(StandardCharsets.UTF_8), metadata);
  }

  static byte[] entry(long seconds, int nanos, byte[] line, Map<String, String> metadata) {
    return message(out -> {
      out.writeByteArray(1, timestamp(seconds, nanos));
      out.writeByteArray(2, line);
      for (Map.Entry<String, String> m : metadata.entrySet()) {
        out.writeByteArray(3, labelPair(m.getKey(), m.getValue()));
      }
    });
  }

  public static byte[] stream(String labels, List<byte[]> entries) {
    return stream(labels, entries, out -> {});
  }

  static byte[] stream(String labels, List<byte[]> entries, Fields extra) {
    return message(out -> {
      out.writeString(1, labels);
      for (byte[] entry : entries) {
        out.writeByteArray(2, entry);
      }
      extra.write(out);
    });
  }

  public static byte[] pushRequest(List<byte[]> streams) {
    return pushRequest(streams, out -> {});
  }

  static byte[] pushRequest(List<byte[]> streams, Fields extra) {
    return message(out -> {
      for (byte[] stream : streams) {
        out.writeByteArray(1, stream);
      }
      extra.write(out);
    });
  }

  /** Unknown fields of every wire type, numbered from {@code first}. */
  static Fields unknownFieldsOfEveryType(int first) {
    return out -> {
      out.writeUInt64(first, 0xFFFF_FFFF_FFFFL); // varint
      out.writeFixed64(first + 1, 42L); // 64-bit
      out.writeString(first + 2, "not for us"); // length-delimited
      out.writeTag(first + 3, WireFormat.WIRETYPE_START_GROUP); // group, with a group inside
      out.writeInt32(1, 7);
      out.writeTag(2, WireFormat.WIRETYPE_START_GROUP);
      out.writeFixed32(3, 9);
      out.writeTag(2, WireFormat.WIRETYPE_END_GROUP);
      out.writeTag(first + 3, WireFormat.WIRETYPE_END_GROUP);
      out.writeFixed32(first + 4, 7); // 32-bit
    };
  }

  private PushRequestWriter() {}
}
