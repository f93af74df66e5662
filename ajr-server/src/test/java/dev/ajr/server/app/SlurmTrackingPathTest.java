package dev.ajr.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.server.config.ConfigLoader;
import dev.ajr.server.config.SlurmConfig;
import dev.ajr.server.metrics.ServerMetrics;
import dev.ajr.slurm.CommandRunner;
import dev.ajr.slurm.SlurmCliScheduler;
import dev.ajr.slurm.rest.SlurmRestScheduler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server reads Slurm through what {@code slurm.tracking-path} names. */
class SlurmTrackingPathTest {

  private final ServerMetrics metrics = new ServerMetrics();
  private final List<List<String>> commands = new CopyOnWriteArrayList<>();
  private final CommandRunner runner =
      (command, environment, timeout) -> {
        commands.add(command);
        return new CommandRunner.CommandResult(0, "", "");
      };
  private HttpServer slurmrestd;

  @AfterEach
  void close() {
    metrics.close();
    if (slurmrestd != null) {
      slurmrestd.stop(0);
    }
  }

  private static SlurmConfig slurm(Map<String, String> options, Map<String, String> env) {
    return ConfigLoader.load(null, options, env).slurm();
  }

  @Test
  void theCommandLineToolsByDefault() throws Exception {
    Scheduler scheduler = AjrServer.scheduler(slurm(Map.of(), Map.of()), runner, metrics);

    assertThat(scheduler).isInstanceOf(SlurmCliScheduler.class);
    scheduler.jobs();
    assertThat(commands.get(0)).startsWith("squeue");
  }

  @Test
  void slurmrestdForReadingTimedAndTheCommandsForWhatItsApiCannotDo() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    slurmrestd = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    slurmrestd.createContext(
        "/",
        exchange -> {
          try (exchange) {
            seen.add(
                exchange.getRequestMethod()
                    + " "
                    + exchange.getRequestURI()
                    + " "
                    + exchange.getRequestHeaders().getFirst("X-SLURM-USER-NAME")
                    + " "
                    + exchange.getRequestHeaders().getFirst("X-SLURM-USER-TOKEN"));
            byte[] body =
                "{\"meta\": {}, \"errors\": [], \"jobs\": []}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    slurmrestd.start();
    SlurmConfig config =
        slurm(
            Map.of(
                "slurm.tracking-path", "rest",
                "slurm.rest.url", "http://127.0.0.1:" + slurmrestd.getAddress().getPort(),
                "slurm.rest.user", "slurm"),
            Map.of("SLURM_JWT", "the-token"));

    Scheduler scheduler =
        AjrServer.scheduler(config, metrics.meters().slurmCommands().timing(runner), metrics);
    assertThat(scheduler).isInstanceOf(SlurmRestScheduler.class);
    assertThat(scheduler.jobs()).isEmpty();
    scheduler.requeueHold(7);

    assertThat(seen).containsExactly("GET /slurm/v0.0.38/jobs slurm the-token");
    assertThat(commands).containsExactly(List.of("scontrol", "requeuehold", "7"));
    assertThat(metrics.scrape())
        .contains("ajr_slurm_command_seconds_count{command=\"rest:jobs\"} 1")
        .contains("ajr_slurm_command_seconds_count{command=\"scontrol requeuehold\"} 1");
  }
}
