package dev.ajr.server.notify;

import static dev.ajr.server.notify.NotifyFixtures.T0;
import static dev.ajr.server.notify.NotifyFixtures.failed;
import static dev.ajr.server.notify.NotifyFixtures.held;
import static dev.ajr.server.notify.NotifyFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.notify.NoticeFilter;
import dev.ajr.core.notify.NoticeKind;
import dev.ajr.core.notify.NotificationPlanner;
import dev.ajr.core.notify.RateLimit;
import dev.ajr.core.notify.Route;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlRecoveryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slack and webhook delivery against a local HTTP receiver, with a clock the test moves. */
class NotifierHttpTest {

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(T0);
  private final ObjectMapper json = new ObjectMapper();
  private final List<AutoCloseable> open = new ArrayList<>();
  private Database db;
  private SqlRecoveryStore store;
  private Receiver receiver;

  @BeforeEach
  void setUp() throws Exception {
    db = Database.openSqlite(dataDir);
    store = new SqlRecoveryStore(db, clock);
    for (long id = 1; id <= 60; id++) {
      store.saveJob(job(id, id % 2 == 0 ? "alice" : "bob", id <= 50 ? "gpu" : "cpu"));
    }
    receiver = new Receiver();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    receiver.close();
    db.close();
  }

  private static Route route(String name, NoticeFilter filter, int windowSeconds) {
    return new Route(
        name,
        filter,
        true,
        null,
        Duration.ofSeconds(windowSeconds),
        new RateLimit(100, Duration.ofHours(1)));
  }

  private Notifier notifier(
      List<Route> routes, Map<String, NotificationSender> senders, int queue, int retries) {
    Notifier n =
        new Notifier(
            new NotificationPlanner(routes),
            senders,
            store,
            clock,
            queue,
            retries,
            Duration.ofMillis(10));
    open.add(n);
    return n;
  }

  @Test
  void anIncidentIsOneSlackMessageAndOneWebhookPost() throws Exception {
    Notifier n =
        notifier(
            List.of(
                route(
                    "slack",
                    new NoticeFilter(
                        Set.of(NoticeKind.ANOMALY, NoticeKind.NODE_HELD), Set.of(), Set.of("gpu")),
                    60),
                route("hook", NoticeFilter.ALL, 60)),
            Map.of(
                "slack", new SlackSender(receiver.url("/slack"), Duration.ofSeconds(5)),
                "hook", new WebhookSender(receiver.url("/hook"), Duration.ofSeconds(5))),
            1000,
            0);
    n.start(List.of());
    for (long id = 1; id <= 50; id++) {
      n.publish(failed(id, id <= 40 ? Cause.NCCL_ERROR : Cause.GPU_HARDWARE, "gpu-" + (id % 5)));
    }
    n.publish(held("gpu-1", 3));
    n.publish(held("gpu-2", 4));
    n.publish(failed(55, Cause.OOM_HOST, "cpu-1")); // partition cpu: not for Slack
    Receiver.await("all events looked at", () -> n.processed() == 53);
    assertThat(receiver.requests.get()).isZero();

    clock.advance(Duration.ofSeconds(60));
    Receiver.await("two deliveries", () -> receiver.bodies.size() == 2);

    JsonNode slack = body("\"blocks\"");
    assertThat(slack.get("text").asText())
        .isEqualTo(
            "50 jobs failed on 5 nodes: 40 NCCL_ERROR, 10 GPU_HARDWARE; nodes held: gpu-1, gpu-2");
    assertThat(slack.get("blocks").get(0).get("text").get("type").asText()).isEqualTo("mrkdwn");
    assertThat(slack.get("blocks").get(1).get("text").get("text").asText())
        .startsWith("```")
        .contains("job 1 (train-1, user bob, partition gpu): NCCL_ERROR on gpu-1")
        .contains("happened here &lt;&amp;&gt;")
        .contains("... and 32 more");

    JsonNode hook = body("\"destination\":\"hook\"");
    assertThat(hook.get("total").asInt()).isEqualTo(53);
    assertThat(hook.get("kinds").get("anomaly").asInt()).isEqualTo(51);
    assertThat(hook.get("kinds").get("node-held").asInt()).isEqualTo(2);
    assertThat(hook.get("causes").get("NCCL_ERROR").asInt()).isEqualTo(40);
    assertThat(hook.get("causes").get("OOM_HOST").asInt()).isEqualTo(1);
    assertThat(hook.get("failedJobs").asInt()).isEqualTo(51);
    assertThat(hook.get("nodes").get("node-held").toString()).isEqualTo("[\"gpu-1\",\"gpu-2\"]");
    assertThat(hook.get("events")).hasSize(20);
    assertThat(hook.get("omitted").asInt()).isEqualTo(33);
    JsonNode first = hook.get("events").get(0);
    assertThat(first.get("kind").asText()).isEqualTo("anomaly");
    assertThat(first.get("jobId").asLong()).isEqualTo(1);
    assertThat(first.get("user").asText()).isEqualTo("bob");
    assertThat(first.get("partition").asText()).isEqualTo("gpu");
    assertThat(first.get("cause").asText()).isEqualTo("NCCL_ERROR");
    assertThat(first.get("node").asText()).isEqualTo("gpu-1");
    assertThat(receiver.contentTypes).allSatisfy(t -> assertThat(t).startsWith("application/json"));
  }

  @Test
  void withoutAWindowAnEventIsPostedAtOnceInItsOwnWords() throws Exception {
    Notifier n =
        notifier(
            List.of(route("hook", NoticeFilter.ALL, 0)),
            Map.of("hook", new WebhookSender(receiver.url("/hook"), Duration.ofSeconds(5))),
            100,
            0);
    n.start(List.of());
    n.publish(new AjrEvent.JobStatusChanged(2, JobStatus.STOPPED, "the limit of 1 is reached"));

    Receiver.await("one post", () -> receiver.bodies.size() == 1);

    JsonNode hook = json.readTree(receiver.bodies.get(0));
    assertThat(hook.get("summary").asText())
        .isEqualTo(
            "job 2 (train-2, user alice, partition gpu): stopped by ajr: the limit of 1 is reached");
    assertThat(hook.get("events").get(0).get("kind").asText()).isEqualTo("job-stopped");
  }

  @Test
  void aFailedDeliveryIsRetriedWithBackoff() {
    receiver.failFirst.set(2);
    Notifier n =
        notifier(
            List.of(route("slack", NoticeFilter.ALL, 0)),
            Map.of("slack", new SlackSender(receiver.url("/s"), Duration.ofSeconds(5))),
            100,
            3);
    n.start(List.of());
    n.publish(failed(1, Cause.NCCL_ERROR, "gpu-1"));

    Receiver.await("delivery", () -> n.delivered() == 1);
    assertThat(receiver.requests.get()).isEqualTo(3);
    assertThat(receiver.bodies).hasSize(1);
    assertThat(n.failed()).isZero();
  }

  @Test
  void aDeliveryThatKeepsFailingIsGivenUpAfterTheRetries() {
    receiver.failFirst.set(1000);
    Notifier n =
        notifier(
            List.of(route("slack", NoticeFilter.ALL, 0)),
            Map.of("slack", new SlackSender(receiver.url("/s"), Duration.ofSeconds(5))),
            100,
            2);
    n.start(List.of());
    n.publish(failed(1, Cause.NCCL_ERROR, "gpu-1"));

    Receiver.await("giving up", () -> n.failed() == 1);
    assertThat(receiver.requests.get()).isEqualTo(3);
    assertThat(n.delivered()).isZero();
  }

  @Test
  void aFullQueueNeverBlocksThePublisherAndWhatWasDroppedIsSummarised() throws Exception {
    Notifier n =
        notifier(
            List.of(route("hook", NoticeFilter.ALL, 60)),
            Map.of("hook", new WebhookSender(receiver.url("/hook"), Duration.ofSeconds(5))),
            10,
            0);
    // not started yet: nothing takes from the queue
    for (long id = 1; id <= 25; id++) {
      n.publish(failed(id, Cause.NCCL_ERROR, "gpu-1"));
    }
    n.publish(held("gpu-9", 0));
    assertThat(n.dropped()).isEqualTo(16);

    n.start(List.of());
    Receiver.await("the queue looked at", () -> n.processed() == 10);
    clock.advance(Duration.ofSeconds(60));
    Receiver.await("one post", () -> receiver.bodies.size() == 1);

    JsonNode hook = json.readTree(receiver.bodies.get(0));
    assertThat(hook.get("summary").asText())
        .isEqualTo(
            "10 jobs failed on 1 node: 10 NCCL_ERROR; 16 events not looked at (notification"
                + " queue full): 15 AnomalyDetected, 1 NodeChanged");
    assertThat(hook.get("dropped").get("AnomalyDetected").asInt()).isEqualTo(15);
  }

  private JsonNode body(String marker) throws Exception {
    for (String b : receiver.bodies) {
      if (b.contains(marker)) {
        return json.readTree(b);
      }
    }
    throw new AssertionError("no body with " + marker + " in " + receiver.bodies);
  }
}
