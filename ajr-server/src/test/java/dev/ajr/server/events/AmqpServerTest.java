package dev.ajr.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.node.NodeControl;
import dev.ajr.core.node.NodeState;
import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.core.scheduler.SchedulerJob;
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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server composed with RabbitMQ: a job seen in the scheduler reaches in-process subscribers and
 * the bound queue; a broker that refuses the credentials stops the start.
 */
class AmqpServerTest {

  @TempDir Path dir;

  /** A scheduler that always shows one running job and does nothing. */
  private static final class OneJob implements Scheduler {
    private final SchedulerJob job;

    OneJob(Path workDir) {
      Instant now = Instant.now();
      job =
          new SchedulerJob(
              24,
              "train",
              "alice",
              "debug",
              "RUNNING",
              "None",
              0,
              "{\"APS\": {\"auto_resume_mode\": \"requeue\"}}",
              List.of("node1"),
              now.minusSeconds(10),
              now.minusSeconds(5),
              null,
              null,
              null,
              workDir.toString(),
              workDir.resolve("slurm-24.out").toString(),
              "",
              false,
              List.of(),
              "",
              true,
              0);
    }

    @Override
    public List<SchedulerJob> jobs() {
      return List.of(job);
    }

    @Override
    public Optional<SchedulerJob> job(long jobId) {
      return jobId == 24 ? Optional.of(job) : Optional.empty();
    }

    @Override
    public void requeueHold(long jobId) {}

    @Override
    public void release(long jobId) {}

    @Override
    public void startAfter(long jobId, Duration delay) {}

    @Override
    public void cancel(long jobId) {}

    @Override
    public void excludeNodes(long jobId, List<String> nodes) {}
  }

  private static final NodeControl NO_NODES =
      new NodeControl() {
        @Override
        public Optional<NodeState> state(String node) {
          return Optional.empty();
        }

        @Override
        public void drain(String node, String reason) {}

        @Override
        public void resume(String node) {}

        @Override
        public int nodeCount() {
          return 4;
        }
      };

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
                config(TestBroker.URL, broker.exchange),
                new OneJob(dir),
                NO_NODES,
                Clock.systemUTC())) {
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
            new OneJob(dir),
            NO_NODES,
            Clock.systemUTC())) {
      assertThatThrownBy(server::start)
          .isInstanceOf(ServiceGroup.StartFailed.class)
          .hasCauseInstanceOf(AmqpRelay.RefusedException.class)
          .hasMessageContaining("refused the credentials of user guest")
          .hasMessageNotContaining("wrong-password");
    }
  }
}
