package dev.ajr.server.ingest.loki;

import static dev.ajr.server.ingest.loki.PushRequestWriter.entry;
import static dev.ajr.server.ingest.loki.PushRequestWriter.pushRequest;
import static dev.ajr.server.ingest.loki.PushRequestWriter.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyFramedOutputStream;

class LokiPushDecoderTest {

  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";

  private final LokiPushDecoder decoder = new LokiPushDecoder(32 * 1024 * 1024, 64 * 1024);

  private static byte[] snappy(byte[] plain) throws IOException {
    return Snappy.compress(plain);
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(plain);
    }
    return bytes.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // --- protobuf, as Promtail and Alloy send it ---

  @Test
  void readsASnappyCompressedProtobufPushAsPromtailSendsIt() throws Exception {
    byte[] body =
        snappy(
            pushRequest(
                List.of(
                    stream(
                        "{host=\"gpu-01\", job=\"slurm\"}",
                        List.of(
                            entry(1_772_359_200L, 123_456_789, "step 100 loss 2.31", Map.of()),
                            entry(
                                1_772_359_201L, 0, "NCCL WARN Net : Connection closed", Map.of()))),
                    stream(
                        "{host=\"gpu-02\", job=\"slurm\"}",
                        List.of(
                            entry(
                                1_772_359_202L,
                                5,
                                "CUDA error: an illegal memory access",
                                Map.of()))))));

    List<LokiStream> streams = decoder.decode(PROTOBUF, null, body);

    assertThat(streams).hasSize(2);
    assertThat(streams.get(0).labels())
        .containsExactly(Map.entry("host", "gpu-01"), Map.entry("job", "slurm"));
    assertThat(streams.get(0).entries())
        .containsExactly(
            new LokiEntry(1_772_359_200_123_456_789L, "step 100 loss 2.31", false),
            new LokiEntry(1_772_359_201_000_000_000L, "NCCL WARN Net : Connection closed", false));
    assertThat(streams.get(1).labels()).containsEntry("host", "gpu-02");
    assertThat(streams.get(1).entries())
        .containsExactly(
            new LokiEntry(
                1_772_359_202_000_000_005L, "CUDA error: an illegal memory access", false));
  }

  @Test
  void readsStructuredMetadataOfProtobufEntries() throws Exception {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("trace_id", "0242ac120002");
    metadata.put("user_id", "superUser123");
    byte[] body =
        snappy(
            pushRequest(
                List.of(
                    stream(
                        "{job=\"slurm\"}",
                        List.of(entry(1_570_818_238L, 0, "fizzbuzz", metadata))))));

    LokiEntry entry = decoder.decode(PROTOBUF, null, body).get(0).entries().get(0);

    assertThat(entry.metadata())
        .containsExactly(
            Map.entry("trace_id", "0242ac120002"), Map.entry("user_id", "superUser123"));
  }

  @Test
  void skipsUnknownFieldsOfEveryWireTypeAtEveryLevel() throws Exception {
    byte[] entryWithExtras =
        PushRequestWriter.message(out -> {
          PushRequestWriter.unknownFieldsOfEveryType(20).write(out);
          out.writeByteArray(1, PushRequestWriter.timestamp(10, 20));
          out.writeByteArray(2, utf8("kept"));
          // "parsed" (4) is for query answers only; a push carrying it is read without it
          out.writeByteArray(4, PushRequestWriter.labelPair("level", "info"));
        });
    byte[] streamWithExtras =
        stream(
            "{job=\"slurm\"}",
            List.of(entryWithExtras),
            out -> {
              out.writeUInt64(3, 0x1234_5678_9ABC_DEF0L); // hash
              PushRequestWriter.unknownFieldsOfEveryType(30).write(out);
            });
    byte[] body =
        snappy(
            pushRequest(
                List.of(streamWithExtras),
                out -> {
                  out.writeString(2, "loki"); // format
                  PushRequestWriter.unknownFieldsOfEveryType(40).write(out);
                }));

    List<LokiStream> streams = decoder.decode(PROTOBUF, null, body);

    assertThat(streams).hasSize(1);
    assertThat(streams.get(0).entries())
        .containsExactly(new LokiEntry(10_000_000_020L, "kept", false));
  }

  @Test
  void readsEscapesInPrometheusLabelSyntax() throws Exception {
    String labels = "{msg=\"say \\\"hi\\\"\", path=\"C:\\\\tmp\", two=\"a\\nb\",}";
    byte[] body = snappy(pushRequest(List.of(stream(labels, List.of(entry(1, 0, "x", Map.of()))))));

    Map<String, String> parsed = decoder.decode(PROTOBUF, null, body).get(0).labels();

    assertThat(parsed)
        .containsExactly(
            Map.entry("msg", "say \"hi\""), Map.entry("path", "C:\\tmp"), Map.entry("two", "a\nb"));
  }

  @Test
  void badLabelSyntaxIsAFormatErrorThatQuotesTheLabels() throws Exception {
    byte[] body =
        snappy(pushRequest(List.of(stream("{job=slurm}", List.of(entry(1, 0, "x", Map.of()))))));

    assertThatThrownBy(() -> decoder.decode(PROTOBUF, null, body))
        .isInstanceOf(LokiFormatException.class)
        .hasMessageContaining("{job=slurm}")
        .hasMessageContaining("double-quoted value for label 'job'");
  }

  @Test
  void aStreamWithoutLabelsIsRefused() throws Exception {
    byte[] body = snappy(pushRequest(List.of(stream("", List.of(entry(1, 0, "x", Map.of()))))));

    assertThatThrownBy(() -> decoder.decode(PROTOBUF, null, body))
        .isInstanceOf(LokiFormatException.class)
        .hasMessageContaining("no labels");
  }

  @Test
  void cutsA10MegabyteLineAndMarksItTruncated() throws Exception {
    byte[] line = new byte[10 * 1024 * 1024];
    Arrays.fill(line, (byte) 'a');
    byte[] body =
        snappy(
            pushRequest(
                List.of(
                    stream(
                        "{job=\"slurm\"}",
                        List.of(entry(1, 0, line, Map.of()), entry(2, 0, "short", Map.of()))))));

    List<LokiEntry> entries = decoder.decode(PROTOBUF, null, body).get(0).entries();

    assertThat(entries.get(0).line()).hasSize(64 * 1024).matches("a+");
    assertThat(entries.get(0).truncated()).isTrue();
    assertThat(entries.get(1)).isEqualTo(new LokiEntry(2_000_000_000L, "short", false));
  }

  @Test
  void cutsLongLinesBetweenCharactersAndReplacesBytesThatAreNotUtf8() throws Exception {
    LokiPushDecoder small = new LokiPushDecoder(1024 * 1024, 7);
    byte[] notUtf8 = {
      'o', 'k', (byte) 0xC3, (byte) 0x28, '!'
    }; // 0xC3 must be followed by 0x80-0xBF
    byte[] body =
        snappy(
            pushRequest(
                List.of(
                    stream(
                        "{job=\"slurm\"}",
                        List.of(
                            entry(
                                1, 0, "éééé",
                                Map.of()), // 8 bytes: cut to 3 whole characters (6 bytes)
                            entry(2, 0, notUtf8, Map.of()))))));

    List<LokiEntry> entries = small.decode(PROTOBUF, null, body).get(0).entries();

    assertThat(entries.get(0).line()).isEqualTo("ééé");
    assertThat(entries.get(0).truncated()).isTrue();
    assertThat(entries.get(1).line()).isEqualTo("ok\uFFFD(!");
    assertThat(entries.get(1).truncated()).isFalse();
  }

  @Test
  void everyTruncationOfAProtobufBodyIsAFormatErrorOrAShorterPush() throws Exception {
    byte[] plain =
        pushRequest(
            List.of(
                stream(
                    "{job=\"slurm\", host=\"gpu-01\"}",
                    List.of(
                        entry(1_772_359_200L, 1, "first line", Map.of("k", "v")),
                        entry(1_772_359_201L, 2, "second line", Map.of())))));

    int refused = 0;
    for (int length = 0; length < plain.length; length++) {
      byte[] body = snappy(Arrays.copyOf(plain, length));
      Throwable thrown = catchThrowable(() -> decoder.decode(PROTOBUF, null, body));
      if (thrown != null) {
        assertThat(thrown).isInstanceOf(LokiFormatException.class);
        refused++;
      }
    }
    // Only the empty body (no streams at all) is a complete message; every other cut is inside
    // the one stream.
    assertThat(refused).isEqualTo(plain.length - 1);
    assertThatThrownBy(() -> decoder.decode(PROTOBUF, null, snappy(Arrays.copyOf(plain, 30))))
        .hasMessageStartingWith("the protobuf body is malformed: in ");
  }

  @Test
  void protobufErrorsSayWhereAndWhat() throws Exception {
    byte[] overlongVarint = {
      0x28, // field 5, a varint: an unknown field, skipped
      (byte) 0xFF,
      (byte) 0xFF,
      (byte) 0xFF,
      (byte) 0xFF,
      (byte) 0xFF,
      (byte) 0xFF,
      (byte) 0xFF,
      (byte) 0xFF,
      (byte) 0xFF,
      (byte) 0xFF,
      0x01
    };
    assertThatThrownBy(() -> decoder.decode(PROTOBUF, null, snappy(overlongVarint)))
        .isInstanceOf(LokiFormatException.class)
        .hasMessage(
            "the protobuf body is malformed: in PushRequest at byte 1, a varint is longer"
                + " than ten bytes");

    byte[] streamsAsVarint = {0x08, 0x01}; // field 1 with wire type 0
    assertThatThrownBy(() -> decoder.decode(PROTOBUF, null, snappy(streamsAsVarint)))
        .hasMessageContaining("field 1 (streams) has wire type 0, expected length-delimited");

    byte[] lengthPastTheEnd = {0x0A, 0x7F, 0x01};
    assertThatThrownBy(() -> decoder.decode(PROTOBUF, null, snappy(lengthPastTheEnd)))
        .hasMessageContaining("a field claims 127 bytes but only 1 remain");

    byte[] unclosedGroup = {0x2B, 0x08, 0x01}; // field 5 starts a group, then an int, no end
    assertThatThrownBy(() -> decoder.decode(PROTOBUF, null, snappy(unclosedGroup)))
        .hasMessageContaining("group 5 is never closed");
  }

  @Test
  void binaryGarbageIsAlwaysAFormatErrorNeverAnotherException() throws IOException {
    Random random = new Random(20260301);
    int decoded = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] garbage = new byte[random.nextInt(200)];
      random.nextBytes(garbage);
      // Half of them are valid Snappy, so that the protobuf reader sees garbage too.
      byte[] body = i % 2 == 0 ? garbage : snappy(garbage);
      String type = i % 3 == 0 ? JSON : PROTOBUF;
      String encoding = i % 5 == 0 ? "gzip" : null;
      Throwable thrown = catchThrowable(() -> decoder.decode(type, encoding, body));
      if (thrown == null) {
        decoded++;
      } else {
        assertThat(thrown).isInstanceOf(LokiFormatException.class);
        assertThat(thrown.getMessage()).isNotBlank();
      }
    }
    assertThat(decoded).isLessThan(100);
  }

  @Test
  void explainsBodiesThatAreNotSnappyBlocks() throws Exception {
    assertThatThrownBy(() -> decoder.decode(PROTOBUF, null, utf8("hello, this is not snappy")))
        .isInstanceOf(LokiFormatException.class)
        .hasMessageStartingWith("the body is not Snappy-compressed data")
        .hasMessageContaining("must be a Snappy block-compressed protobuf logproto.PushRequest");

    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    try (SnappyFramedOutputStream out = new SnappyFramedOutputStream(framed)) {
      out.write(pushRequest(List.of(stream("{a=\"b\"}", List.of(entry(1, 0, "x", Map.of()))))));
    }
    assertThatThrownBy(() -> decoder.decode(PROTOBUF, null, framed.toByteArray()))
        .hasMessageContaining("Snappy's framed (stream) format");

    byte[] json = utf8("{\"streams\": []}");
    assertThatThrownBy(() -> decoder.decode(null, null, json))
        .hasMessageContaining("it looks like JSON: send Content-Type: application/json");
    assertThatThrownBy(() -> decoder.decode(PROTOBUF, null, gzip(snappy(json))))
        .hasMessageContaining("looks gzip-compressed: send Content-Encoding: gzip");
    assertThatThrownBy(() -> decoder.decode(PROTOBUF, null, new byte[0]))
        .hasMessageContaining("the body is empty");
  }

  @Test
  void refusesBodiesOverTheLimitBeforeOrWhileDecompressing() throws Exception {
    LokiPushDecoder small = new LokiPushDecoder(10_000, 1024);

    assertThatThrownBy(() -> small.decode(PROTOBUF, null, new byte[10_001]))
        .isInstanceOf(LokiFormatException.class)
        .hasMessage("the body is 10001 bytes, more than the limit of 10000 bytes");

    // A few bytes that declare 1 GiB when decompressed: refused before allocating it.
    byte[] bomb = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04, 0x00};
    assertThatThrownBy(() -> small.decode(PROTOBUF, null, bomb))
        .hasMessage(
            "the body declares that it decompresses to 1073741824 bytes, more than the"
                + " limit of 10000 bytes");

    byte[] line = new byte[20_000];
    Arrays.fill(line, (byte) 'x');
    byte[] big = pushRequest(List.of(stream("{a=\"b\"}", List.of(entry(1, 0, line, Map.of())))));
    assertThat(snappy(big).length).isLessThan(10_000);
    assertThatThrownBy(() -> small.decode(PROTOBUF, null, snappy(big)))
        .hasMessageContaining("more than the limit of 10000 bytes");
    assertThat(gzip(utf8(new String(line, StandardCharsets.US_ASCII))).length).isLessThan(10_000);
    assertThatThrownBy(() -> small.decode(JSON, "gzip", gzip(line)))
        .hasMessage("the body decompresses to more than the limit of 10000 bytes");
  }

  @Test
  void readBodyStopsReadingPastTheLimit() throws Exception {
    LokiPushDecoder small = new LokiPushDecoder(100, 64);

    assertThat(small.readBody(new ByteArrayInputStream(new byte[100]))).hasSize(100);
    assertThatThrownBy(() -> small.readBody(new ByteArrayInputStream(new byte[101])))
        .isInstanceOf(LokiFormatException.class)
        .hasMessageContaining("more than the limit of 100 bytes");
  }

  @Test
  void readsGzipOrDeflateAroundProtobufAndAcceptsSnappyAsEncoding() throws Exception {
    byte[] body =
        snappy(pushRequest(List.of(stream("{a=\"b\"}", List.of(entry(3, 0, "x", Map.of()))))));
    ByteArrayOutputStream zlib = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(zlib)) {
      out.write(body);
    }
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(raw, new Deflater(6, true))) {
      out.write(body);
    }
    LokiEntry expected = new LokiEntry(3_000_000_000L, "x", false);

    assertThat(decoder.decode(PROTOBUF, "gzip", gzip(body)).get(0).entries())
        .containsExactly(expected);
    assertThat(decoder.decode(PROTOBUF, "deflate", zlib.toByteArray()).get(0).entries())
        .containsExactly(expected);
    assertThat(decoder.decode(PROTOBUF, "deflate", raw.toByteArray()).get(0).entries())
        .containsExactly(expected);
    assertThat(decoder.decode(PROTOBUF, "snappy", body).get(0).entries()).containsExactly(expected);
    assertThatThrownBy(() -> decoder.decode(PROTOBUF, "br", body))
        .hasMessage(
            "Content-Encoding 'br' is not supported; send the body uncompressed, gzip or"
                + " deflate");
    assertThatThrownBy(() -> decoder.decode(JSON, "gzip", utf8("{}")))
        .hasMessageContaining("Content-Encoding is gzip but the body is not gzip data");
  }

  // --- JSON, as Fluent Bit and Vector send it ---

  @Test
  void readsTheJsonExampleOfLokisPushApiDocumentation() throws Exception {
    // curl example of "Ingest logs" in Loki's HTTP API reference
    byte[] body =
        utf8(
            "{\"streams\": [{ \"stream\": { \"foo\": \"bar2\" }, \"values\": [ [ \"1570818238000000000\","
                + " \"fizzbuzz\" ] ] }]}");

    List<LokiStream> streams = decoder.decode(JSON, null, body);

    assertThat(streams)
        .containsExactly(
            new LokiStream(
                Map.of("foo", "bar2"),
                List.of(new LokiEntry(1_570_818_238_000_000_000L, "fizzbuzz", false))));
  }

  @Test
  void readsThePushPayloadOfLokisOwnUnmarshalTest() throws Exception {
    // The data of Loki's pkg/util/unmarshal Test_DecodePushRequest: an early timestamp, tabs
    String body =
        "{\n\t\"streams\": [\n\t\t{\n\t\t\t\"stream\": {\n\t\t\t\t\"test\": \"test\"\n\t\t\t},\n"
            + "\t\t\t\"values\":[\n\t\t\t\t[ \"123456789012345\", \"super line\" ]\n\t\t\t]\n"
            + "\t\t}\n\t]\n}";

    List<LokiStream> streams = decoder.decode(JSON, null, utf8(body));

    assertThat(streams.get(0).labels()).containsExactly(Map.entry("test", "test"));
    assertThat(streams.get(0).entries())
        .containsExactly(new LokiEntry(123_456_789_012_345L, "super line", false));
  }

  @Test
  void readsJsonStructuredMetadataAsDocumented() throws Exception {
    byte[] body =
        utf8(
            "{\"streams\": [{\"stream\": {\"job\": \"slurm\"}, \"values\": ["
                + "[ \"1570818238000000000\", \"with metadata\", {\"trace_id\": \"0242ac120002\","
                + " \"user_id\": \"superUser123\"}],"
                + "[ \"1570818238000000001\", \"without\"]]}]}");

    List<LokiEntry> entries = decoder.decode(JSON + "; charset=utf-8", null, body).get(0).entries();

    assertThat(entries.get(0).metadata())
        .containsExactly(
            Map.entry("trace_id", "0242ac120002"), Map.entry("user_id", "superUser123"));
    assertThat(entries.get(1).metadata()).isEmpty();
  }

  @Test
  void readsGzipJsonAndCutsA10MegabyteLine() throws Exception {
    String longLine = "b".repeat(10 * 1024 * 1024);
    byte[] body =
        gzip(
            utf8(
                "{\"streams\": [{\"stream\": {\"job\": \"slurm\"}, \"values\": [[\"5\", \""
                    + longLine
                    + "\"], [\"6\", \"after\"]]}]}"));

    List<LokiEntry> entries = decoder.decode(JSON, "gzip", body).get(0).entries();

    assertThat(entries.get(0).line()).hasSize(64 * 1024);
    assertThat(entries.get(0).truncated()).isTrue();
    assertThat(entries.get(1)).isEqualTo(new LokiEntry(6, "after", false));
  }

  @Test
  void replacesBytesThatAreNotUtf8InJson() throws Exception {
    byte[] prefix = utf8("{\"streams\": [{\"stream\": {\"a\": \"b\"}, \"values\": [[\"1\", \"x");
    byte[] suffix = utf8("y\"]]}]}");
    byte[] body = new byte[prefix.length + 1 + suffix.length];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    body[prefix.length] = (byte) 0xFF;
    System.arraycopy(suffix, 0, body, prefix.length + 1, suffix.length);

    assertThat(decoder.decode(JSON, null, body).get(0).entries().get(0).line())
        .isEqualTo("x\uFFFDy");
  }

  @Test
  void jsonMistakesAreExplained() {
    assertThatThrownBy(() ->
            decoder.decode(
                JSON,
                null,
                utf8(
                    "{\"streams\": [{\"stream\": {}, "
                        + "\"values\": [[\"2019-10-11T18:23:58Z\", \"x\"]]}]}")))
        .isInstanceOf(LokiFormatException.class)
        .hasMessageStartingWith(
            "stream 1, entry 1: the timestamp \"2019-10-11T18:23:58Z\" is not"
                + " Unix epoch nanoseconds");
    assertThatThrownBy(() ->
            decoder.decode(
                JSON,
                null,
                utf8(
                    "{\"streams\": [{\"stream\": {}, "
                        + "\"values\": [[\"1\", \"x\", {\"nested\": {\"no\": \"pe\"}}]]}]}")))
        .hasMessageStartingWith(
            "stream 1, entry 1 structured metadata: the value of \"nested\"" + " must be a string");
    assertThatThrownBy(() ->
            decoder.decode(
                JSON,
                null,
                utf8(
                    "{\"streams\": [{\"labels\": "
                        + "\"{a=\\\"b\\\"}\", \"entries\": [{\"ts\": \"2018-12-18T08:28:06Z\", \"line\": \"x\"}]}]}")))
        .hasMessageContaining("old /api/prom/push format");
    assertThatThrownBy(() ->
            decoder.decode(
                JSON, null, utf8("{\"streams\": [{\"stream\": {}, " + "\"values\": [[\"1\"]]}]}")))
        .hasMessageStartingWith("stream 1, entry 1 has a timestamp but no line");
    assertThatThrownBy(() -> decoder.decode(JSON, null, utf8("{\"streams\": [")))
        .hasMessageStartingWith("the body is not valid JSON: ");
    assertThatThrownBy(() -> decoder.decode(JSON, null, utf8("[]")))
        .hasMessageStartingWith("a JSON push must be an object {\"streams\": [...]}");
  }

  @Test
  void timestampsOutOfRangeAreExplained() {
    assertThatThrownBy(() ->
            decoder.decode(
                JSON,
                null,
                utf8(
                    "{\"streams\": [{\"stream\": {}, \"values\": [[\"9999999999999999999\","
                        + " \"x\"]]}]}")))
        .isInstanceOf(LokiFormatException.class)
        .hasMessageStartingWith(
            "stream 1, entry 1: the timestamp 9999999999999999999 is out of range");
  }

  @Test
  void acceptsIntegerTimestampsAndAnEmptyPush() throws Exception {
    assertThat(
            decoder
                .decode(
                    JSON,
                    null,
                    utf8(
                        "{\"streams\": [{\"stream\": {\"a\": \"b\"}, "
                            + "\"values\": [[1570818238000000000, \"x\"]]}]}"))
                .get(0)
                .entries()
                .get(0)
                .timestampNanos())
        .isEqualTo(1_570_818_238_000_000_000L);
    assertThat(decoder.decode(JSON, null, utf8("{\"streams\": []}"))).isEmpty();
    assertThat(decoder.decode(PROTOBUF, null, snappy(new byte[0]))).isEmpty();
  }
}
