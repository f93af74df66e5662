package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts {@code ajr server --port P ARGS} with {@code env} added to the environment (a null value
   * removes the variable), output appended to {@code log}.
   */
  static ServerProcess start(List<String> args, Map<String, String> env, Path log)
      throws IOException {
    int port = freePort();
    List<String> command = new ArrayList<>(List.of("server", "--port", Integer.toString(port)));
    command.addAll(args);
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
    return new ServerProcess(pb.start(), port, log);
  }

  String url() {
    return "http://127.0.0.1:" + port;
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
          HttpClient.newHttpClient()
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
