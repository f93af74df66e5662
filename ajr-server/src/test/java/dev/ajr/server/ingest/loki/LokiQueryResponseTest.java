package dev.ajr.server.ingest.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LokiQueryResponseTest {

  private final LokiQueryResponse response = new LokiQueryResponse(64 * 1024);

  private List<LokiStream> parse(String json) throws LokiFormatException {
    return response.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheLogQueryExampleOfLokisDocumentation() throws Exception {
    // The answer to query={job="varlogs"} in Loki's HTTP API reference (stats filled in)
    List<LokiStream> streams =
        parse(
            """
            {
              "status": "success",
              "data": {
                "resultType": "streams",
                "result": [
                  {
                    "stream": {
                      "filename": "/var/log/myproject.log",
                      "job": "varlogs",
                      "level": "info"
                    },
                    "values": [
                      ["1569266497240578000", "foo"],
                      ["1569266492548155000", "bar"]
                    ]
                  }
                ],
                "stats": {"summary": {"bytesProcessedPerSecond": 0, "execTime": 0.0012,
                  "totalLinesProcessed": 2}, "ingester": {"totalReached": 1}}
              }
            }
            """);

    assertThat(streams)
        .containsExactly(
            new LokiStream(
                Map.of("filename", "/var/log/myproject.log", "job", "varlogs", "level", "info"),
                List.of(
                    new LokiEntry(1_569_266_497_240_578_000L, "foo", false),
                    new LokiEntry(1_569_266_492_548_155_000L, "bar", false))));
  }

  @Test
  void aMetricAnswerIsAClearError() {
    // The matrix answer to sum(rate({job="varlogs"}[10m])) by (level) in Loki's documentation
    String matrix =
        """
        {"status": "success", "data": {"resultType": "matrix", "result": [
          {"metric": {"level": "info"}, "values": [[1588889221, "137.95"], [1588889221, "467.115"]]},
          {"metric": {"level": "warn"}, "values": [[1588889221, "137.27833333333334"]]}],
         "stats": {}}}
        """;
    String vector =
        """
        {"status": "success", "data": {"resultType": "vector", "result": [
          {"metric": {}, "value": [1588889221, "1267.1266666666666"]}]}}
        """;

    assertThatThrownBy(() -> parse(matrix))
        .isInstanceOf(LokiFormatException.class)
        .hasMessage(
            "Loki answered with a matrix: the query is a metric query, but ajr needs a log query"
                + " (a stream selector such as {job=\"slurm\"}, optionally with line filters)");
    assertThatThrownBy(() -> parse(vector)).hasMessageStartingWith("Loki answered with a vector");
  }

  @Test
  void aMetricAnswerIsRecognisedWhenItsResultComesBeforeItsType() {
    assertThatThrownBy(() ->
            parse(
                "{\"data\": {\"result\": [{\"metric\": {}, \"values\": [[1, \"2\"]]}],"
                    + " \"resultType\": \"matrix\"}, \"status\": \"success\"}"))
        .hasMessageContaining("this is the answer to a metric query");
  }

  @Test
  void aStatusOtherThanSuccessIsAnError() {
    assertThatThrownBy(() ->
            parse(
                "{\"status\": \"error\", \"errorType\": \"bad_data\", \"error\": \"parse error"
                    + " at line 1\"}"))
        .hasMessage("Loki answered with status 'error': parse error at line 1");
    assertThatThrownBy(() -> parse("{\"data\": {\"resultType\": \"streams\", \"result\": []}}"))
        .hasMessage("Loki answered with status (none)");
  }

  @Test
  void readsStructuredMetadataOfCategorizedAnswers() throws Exception {
    List<LokiStream> streams =
        parse(
            """
            {"status": "success", "data": {"resultType": "streams", "encodingFlags":
             ["categorize-labels"], "result": [{"stream": {"job": "slurm"}, "values": [
              ["1", "a", {"structuredMetadata": {"trace_id": "abc"}, "parsed": {"level": "x"}}],
              ["2", "b", {}]]}]}}
            """);

    assertThat(streams.get(0).entries())
        .containsExactly(
            new LokiEntry(1, "a", false, Map.of("trace_id", "abc")), new LokiEntry(2, "b", false));
  }

  @Test
  void emptyAndMalformedAnswers() throws Exception {
    assertThat(
            parse("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[]}}"))
        .isEmpty();
    assertThatThrownBy(() -> parse("{\"status\":\"success\",\"data\":{\"result\":[]}}"))
        .hasMessage("Loki's answer has no data.resultType");
    assertThatThrownBy(() -> parse("<html>502 Bad Gateway</html>"))
        .hasMessageStartingWith("the body is not valid JSON: ");
    assertThatThrownBy(() ->
            parse(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[{"
                    + "\"stream\":{\"a\":\"b\"},\"values\":[[\"12x\",\"line\"]]}]}}"))
        .hasMessageStartingWith("stream 1, entry 1: the timestamp \"12x\" is not Unix epoch");
  }

  @Test
  void cutsLongLines() throws Exception {
    LokiQueryResponse small = new LokiQueryResponse(8);

    List<LokiStream> streams =
        small.parse(
            ("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[{"
                    + "\"stream\":{\"a\":\"b\"},\"values\":[[\"1\",\"0123456789\"]]}]}}")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(streams.get(0).entries()).containsExactly(new LokiEntry(1, "01234567", true));
  }
}
