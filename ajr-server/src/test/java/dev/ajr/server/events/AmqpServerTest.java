package dev.ajr.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.testing.FakeScheduler;
import dev.ajr.core.testing.MemoryNodeControl;
import dev.ajr.core.testing.SchedulerJobBuilder;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.config.ConfigLoader;
import dev.ajr.server.service.ServiceGroup;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server composed with RabbitMQ: a job seen in the scheduler reaches in-process subscribers and
 * the bound queue; a broker that refuses the credentials stops the start.
 */
class AmqpServerTest {

  @TempDir Path dir;

  /** A scheduler that shows one running job, whose output goes to {@code workDir}. */
  private static FakeScheduler oneJob(Path workDir) {
    Instant now = Instant.now();
    return new FakeScheduler(Clock.systemUTC())
        .put(
            SchedulerJobBuilder.job(24)
                .comment("{\"APS\": {\"auto_resume_mode\": \"requeue\"}}")
                .startTime(now.minusSeconds(5))
                .beginTime(null)
                .workDir(workDir.toString())
                .stdOut(workDir.resolve("slurm-24.out").toString())
                .stdErr("")
                .build());
  }

  /** Four nodes in service. */
  private static final MemoryNodeControl NODES =
      new MemoryNodeControl("node1", "node2", "node3", "node4");

  private AjrConfig config(String url, String exchange) {
    return ConfigLoader.load(
        null,
        Map.of(
            "data-dir",
            dir.resolve("data").toString(),
            "server.port",
            "0",
            "events.amqp-url",
            url,
            "events.exchange",
            exchange),
        Map.of());
  }

  @Test
  void aTrackedJobReachesInProcessSubscribersAndRabbitMq() throws Exception {
    try (TestBroker broker = new TestBroker("job.#", "attempt.#");
        AjrServer server =
            new AjrServer(
                config(TestBroker.URL, broker.exchange), oneJob(dir), NODES, Clock.systemUTC())) {
      List<AjrEvent> local = new CopyOnWriteArrayList<>();
      server.events().subscribe(local::add);
      server.start();

      List<TestBroker.Received> got =
          broker.drain(
              Duration.ofSeconds(30),
              l ->
                  l.stream().anyMatch(r -> r.routingKey().equals("job.discovered"))
                      && l.stream().anyMatch(r -> r.routingKey().equals("attempt.running")));

      assertThat(got)
          .extracting(TestBroker.Received::routingKey)
          .contains("job.discovered", "attempt.running");
      assertThat(got).allSatisfy(r -> assertThat(r.body()).contains("\"jobId\":24"));
      assertThat(local).anySatisfy(e -> assertThat(e).isInstanceOf(AjrEvent.JobDiscovered.class));
    }
  }

  @Test
  void aBrokerThatRefusesTheCredentialsStopsTheStart() throws Exception {
    try (AjrServer server =
        new AjrServer(
            config("amqp://guest:wrong-password@127.0.0.1:5672/", "ajr.test.refused"),
            oneJob(dir),
            NODES,
            Clock.systemUTC())) {
      assertThatThrownBy(server::start)
          .isInstanceOf(ServiceGroup.StartFailed.class)
          .hasCauseInstanceOf(AmqpRelay.RefusedException.class)
          .hasMessageContaining("refused the credentials of user guest")
          .hasMessageNotContaining("wrong-password");
    }
  }
}
