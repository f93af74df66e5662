package dev.ajr.slurm.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for slurmrestd behind a real socket on the loopback: answers each request with what
 * the test's {@link #answer} gives (bodies recorded from the real slurmrestd, under {@code
 * src/test/resources/slurmrestd/}) and keeps every request it got.
 */
final class FakeSlurmrestd implements AutoCloseable {

  /**
   * A request as the fake saw it.
   *
   * @param upgrade its {@code Upgrade} header, or null: slurmrestd 22.05 drops a request with one
   */
  record Seen(String method, String pathAndQuery, String user, String token, String upgrade) {}

  /** An answer to send: status and body (empty for none). */
  record Reply(int status, byte[] body) {
    static Reply json(int status, String body) {
      return new Reply(status, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  interface Answer {
    Reply to(Seen request) throws IOException;
  }

  final List<Seen> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final CountDownLatch released = new CountDownLatch(1);
  private final ExecutorService threads = Executors.newCachedThreadPool();
  volatile Answer answer = request -> Reply.json(404, "{}");

  FakeSlurmrestd() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** An answer that never comes until the fake is closed: for timeouts. */
  Reply never() {
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Reply.json(500, "{}");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      Seen seen =
          new Seen(
              exchange.getRequestMethod(),
              uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
              exchange.getRequestHeaders().getFirst("X-SLURM-USER-NAME"),
              exchange.getRequestHeaders().getFirst("X-SLURM-USER-TOKEN"),
              exchange.getRequestHeaders().getFirst("Upgrade"));
      requests.add(seen);
      Reply reply = answer.to(seen);
      if (reply.body().length == 0) {
        exchange.sendResponseHeaders(reply.status(), -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status(), reply.body().length);
      exchange.getResponseBody().write(reply.body());
    }
  }

  /** A file recorded from the real slurmrestd. */
  static byte[] recorded(String name) {
    try (InputStream in = FakeSlurmrestd.class.getResourceAsStream("/slurmrestd/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no recorded answer " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
