package dev.ajr.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} without credentials on a port of its own ({@code metrics.port}), for a
 * Prometheus that scrapes from inside the cluster's network: plain HTTP, nothing else served (404),
 * no other method (405). The port is bound when this is made, answered after {@link #start}.
 * Thread-safe.
 */
public final class MetricsPort implements AutoCloseable {

  private final ServerMetrics metrics;
  private final HttpServer server;
  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ajr-metrics-", 1).factory());

  /**
   * @throws IOException when the address cannot be listened on
   */
  public MetricsPort(String host, int port, ServerMetrics metrics) throws IOException {
    this.metrics = metrics;
    try {
      this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (BindException e) {
      throw new IOException(
          "cannot listen for metrics on "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); choose another metrics.port",
          e);
    }
    server.setExecutor(workers);
    server.createContext("/", this::handle);
  }

  public void start() {
    server.start();
  }

  /** The port bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestURI().getPath().equals("/metrics")) {
        send(ex, 404, "text/plain; charset=utf-8", "only /metrics is served here\n");
      } else if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        ex.getResponseHeaders().add("Allow", "GET, HEAD");
        send(ex, 405, "text/plain; charset=utf-8", "use GET\n");
      } else {
        send(ex, 200, ServerMetrics.CONTENT_TYPE, metrics.scrape());
      }
    }
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.getResponseHeaders().add("Cache-Control", "no-store");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(1);
    workers.shutdownNow();
  }
}
