package dev.ajr.server.ingest.loki;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

/**
 * A local HTTP server that answers {@code /loki/api/v1/query_range} as Loki documents it: entries
 * stamped in {@code [start, end)}, oldest first, at most {@code limit}, grouped into streams. It
 * records every request, and can be told to fail or to give a fixed answer.
 */
public final class FakeLoki implements AutoCloseable {

  /** One request as received; header names are lower case. */
  record Request(
      String rawQuery,
      String query,
      long start,
      long end,
      int limit,
      String direction,
      Map<String, String> headers) {}

  private record Stored(Map<String, String> labels, long timestampNanos, String line) {}

  private final HttpServer server;
  private final ObjectMapper json = new ObjectMapper();
  private final List<Stored> stored = new CopyOnWriteArrayList<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile int failStatus;
  private volatile String failBody;
  private volatile String fixedAnswer;
  private volatile boolean gzipAnswers;

  public FakeLoki() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/loki/api/v1/query_range", this::handle);
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void add(Map<String, String> labels, long timestampNanos, String line) {
    stored.add(new Stored(labels, timestampNanos, line));
  }

  /** Answers every request with this status and text until {@link #heal}. */
  void failWith(int status, String body) {
    failBody = body;
    failStatus = status;
  }

  /** Answers every request with this JSON until {@link #heal}. */
  void answerWith(String body) {
    fixedAnswer = body;
  }

  void heal() {
    failStatus = 0;
    fixedAnswer = null;
  }

  /** Compresses answers with gzip when the request accepts it. */
  void gzipAnswers() {
    gzipAnswers = true;
  }

  Request lastRequest() {
    return requests.get(requests.size() - 1);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> params = new HashMap<>();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        params.put(
            pair.substring(0, eq),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
      Map<String, String> headers = new HashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
      Request request =
          new Request(
              rawQuery,
              params.get("query"),
              Long.parseLong(params.get("start")),
              Long.parseLong(params.get("end")),
              Integer.parseInt(params.get("limit")),
              params.get("direction"),
              headers);
      requests.add(request);
      if (failStatus != 0) {
        send(exchange, failStatus, failBody.getBytes(StandardCharsets.UTF_8), false);
      } else if (fixedAnswer != null) {
        send(exchange, 200, fixedAnswer.getBytes(StandardCharsets.UTF_8), false);
      } else {
        boolean gzip = gzipAnswers && headers.getOrDefault("accept-encoding", "").contains("gzip");
        send(exchange, 200, answer(request), gzip);
      }
    }
  }

  private byte[] answer(Request request) throws IOException {
    List<Stored> selected =
        stored.stream()
            .filter(
                s -> s.timestampNanos() >= request.start() && s.timestampNanos() < request.end())
            .sorted(Comparator.comparingLong(Stored::timestampNanos))
            .limit(request.limit())
            .toList();
    Map<Map<String, String>, ArrayNode> byStream = new LinkedHashMap<>();
    ObjectNode root = json.createObjectNode();
    root.put("status", "success");
    ObjectNode data = root.putObject("data");
    data.put("resultType", "streams");
    ArrayNode result = data.putArray("result");
    for (Stored s : selected) {
      ArrayNode values =
          byStream.computeIfAbsent(
              s.labels(),
              labels -> {
                ObjectNode stream = result.addObject();
                ObjectNode streamLabels = stream.putObject("stream");
                labels.forEach(streamLabels::put);
                return stream.putArray("values");
              });
      values.addArray().add(Long.toString(s.timestampNanos())).add(s.line());
    }
    data.putObject("stats").putObject("summary").put("execTime", 0.001);
    return json.writeValueAsBytes(root);
  }

  private static void send(HttpExchange exchange, int status, byte[] body, boolean gzip)
      throws IOException {
    if (gzip) {
      ByteArrayOutputStream compressed = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
        out.write(body);
      }
      body = compressed.toByteArray();
      exchange.getResponseHeaders().add("Content-Encoding", "gzip");
    }
    exchange
        .getResponseHeaders()
        .add("Content-Type", status == 200 ? "application/json" : "text/plain");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
