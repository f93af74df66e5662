package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.server.http.tls.TestCertificates;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code ajr server} as a process of its own (on the test class path), to be killed for real. */
final class ServerProcess {

  final Process process;
  final int port;
  final Path log;

  /** The test CA's certificates when the server speaks HTTPS, else null. */
  final TestCertificates tls;

  private ServerProcess(Process process, int port, Path log, TestCertificates tls) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.tls = tls;
  }

  /**
   * Starts {@code ajr server --port P ARGS} with {@code env} added to the environment (a null value
   * removes the variable), output appended to {@code log}.
   */
  static ServerProcess start(List<String> args, Map<String, String> env, Path log)
      throws IOException {
    return start(args, env, log, List.of(), null);
  }

  /**
   * Like {@link #start(List, Map, Path)}, with more configuration: {@code configLines} are YAML
   * lines (flat dotted keys such as {@code recovery.mode: observe} mix safely with a {@code
   * --config} file in {@code args}, whose copy they are appended to), and with {@code tls} the
   * server speaks HTTPS with those certificates ({@code server.tls-cert}, {@code server.tls-key});
   * {@link #url()} and {@link #awaitUp()} then use https and trust the test CA.
   */
  static ServerProcess start(
      List<String> args,
      Map<String, String> env,
      Path log,
      List<String> configLines,
      TestCertificates tls)
      throws IOException {
    List<String> extra = new ArrayList<>(configLines);
    if (tls != null) {
      extra.add("server.tls-cert: \"" + tls.certFile() + "\"");
      extra.add("server.tls-key: \"" + tls.keyFile() + "\"");
    }
    List<String> serverArgs = new ArrayList<>(args);
    if (!extra.isEmpty()) {
      Path config = log.resolveSibling(log.getFileName() + ".ajr.yaml");
      int given = serverArgs.indexOf("--config");
      String base = given >= 0 ? Files.readString(Path.of(serverArgs.get(given + 1))) + "\n" : "";
      Files.writeString(config, base + String.join("\n", extra) + "\n");
      if (given >= 0) {
        serverArgs.set(given + 1, config.toString());
      } else {
        serverArgs.addAll(List.of("--config", config.toString()));
      }
    }
    int port = freePort();
    List<String> command = new ArrayList<>(List.of("server", "--port", Integer.toString(port)));
    command.addAll(serverArgs);
    ProcessBuilder pb =
        new ProcessBuilder(AgentProcess.command(command))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    return new ServerProcess(pb.start(), port, log, tls);
  }

  /** {@code http://127.0.0.1:PORT}, or {@code https://localhost:PORT} with TLS. */
  String url() {
    return tls == null ? "http://127.0.0.1:" + port : "https://localhost:" + port;
  }

  /** A client of this server's API as the given user (trusting the test CA with TLS). */
  ApiClient client(String user, String password) {
    return tls == null
        ? new ApiClient(url(), user, password)
        : new ApiClient(url(), user, password, tls.caFile());
  }

  /** Waits until {@code /healthz} answers; fails with the log's name if the process died. */
  void awaitUp() throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (role() == null) {
      assertThat(process.isAlive()).as("the server started; see " + log).isTrue();
      assertThat(Instant.now()).as("the server to answer; see " + log).isBefore(deadline);
      Thread.sleep(100);
    }
  }

  /**
   * The role {@code /healthz} reports (single, leader, follower), or null when it does not answer.
   */
  String role() {
    try {
      HttpResponse<String> r =
          (tls == null
                  ? HttpClient.newHttpClient()
                  : HttpClient.newBuilder().sslContext(tls.sslContext()).build())
              .send(
                  HttpRequest.newBuilder(URI.create(url() + "/healthz")).build(),
                  HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200
          ? new ObjectMapper().readTree(r.body()).path("role").asText()
          : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(); // SIGKILL
  }

  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
