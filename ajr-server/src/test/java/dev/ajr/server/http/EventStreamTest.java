package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.events.InProcessEventBus;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlRecoveryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/stream}: each caller hears only of what they may see. */
class EventStreamTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;
  private Database db;
  private SqlRecoveryStore store;
  private ApiServer server;
  private final InProcessEventBus bus = new InProcessEventBus();

  @BeforeEach
  void start() throws Exception {
    Clock clock = Clock.systemUTC();
    db = Database.openSqlite(dir);
    store = new SqlRecoveryStore(db, clock);
    UserStore users = new UserStore(db, clock);
    users.putUser("alice", "alice-password-1", Role.VIEWER);
    users.putUser("olga", "olga-password-12", Role.OPERATOR);
    store.saveJob(job(1, "alice"));
    store.saveJob(job(2, "bob"));
    server = TestApi.on(db, clock).store(store).users(users).events(bus).start();
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  /** Opens the stream as the user; its data lines arrive in the returned queue. */
  private BlockingQueue<String> open(String user, String password) throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpResponse<Stream<String>> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/v1/stream"))
                    .header("Authorization", BasicAuth.header(user, password))
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .contains("text/event-stream; charset=utf-8");
    Thread.ofVirtual().start(() -> response.body().forEach(lines::add));
    assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("retry: 3000");
    assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("event: hello");
    return lines;
  }

  private static String nextData(BlockingQueue<String> lines) throws InterruptedException {
    while (true) {
      String line = lines.poll(10, TimeUnit.SECONDS);
      assertThat(line).as("an event within 10 s").isNotNull();
      if (line.startsWith("data: ") && !line.equals("data: {}")) {
        return line.substring(6);
      }
    }
  }

  @Test
  void aViewerHearsOfTheirOwnJobsOnlyAndAnOperatorOfAll() throws Exception {
    BlockingQueue<String> alice = open("alice", "alice-password-1");
    BlockingQueue<String> olga = open("olga", "olga-password-12");
    bus.publish(new AjrEvent.AttemptEnded(2, 0, AttemptState.FAILED, "bob's", T0));
    bus.publish(new AjrEvent.AttemptEnded(1, 0, AttemptState.FAILED, "alice's", T0));
    assertThat(nextData(olga)).isEqualTo("{\"type\":\"AttemptEnded\",\"jobId\":2}");
    assertThat(nextData(olga)).isEqualTo("{\"type\":\"AttemptEnded\",\"jobId\":1}");
    // bob's event was published first: had alice heard of it, it would come first
    assertThat(nextData(alice)).isEqualTo("{\"type\":\"AttemptEnded\",\"jobId\":1}");
  }

  private static Job job(long id, String user) {
    return new Job(
        id,
        "train-" + id,
        user,
        "gpu",
        "/home/" + user,
        "/home/" + user + "/out",
        "",
        "",
        DirectiveResult.ABSENT,
        JobStatus.RUNNING,
        "",
        T0,
        T0);
  }
}
