package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.store.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slurm's controller hooks tell ajr which job to look at; viewers cannot. */
class SlurmHookRoutesTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final List<Long> told = new CopyOnWriteArrayList<>();
  private Database db;
  private ApiServer server;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    db = Database.openSqlite(dir);
    Clock clock = Clock.systemUTC();
    UserStore users = new UserStore(db, clock);
    users.putUser("hook", "hook-pass", Role.AGENT);
    users.putUser("alice", "alice-pass", Role.VIEWER);
    server =
        TestApi.on(db, clock)
            .users(users)
            .slurmHooks(jobId -> {
              told.add(jobId);
              return jobId == 99 ? SlurmHooks.Outcome.DROPPED : SlurmHooks.Outcome.LOOKED_AT;
            })
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  private HttpResponse<String> post(String path, String user, String password) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Authorization", BasicAuth.header(user, password))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAgentTokenTellsOfAJobAndHearsWhatBecameOfTheWord() throws Exception {
    HttpResponse<String> looked = post("/api/v1/slurm/jobs/4242/changed", "hook", "hook-pass");
    HttpResponse<String> dropped = post("/api/v1/slurm/jobs/99/changed", "hook", "hook-pass");

    assertThat(looked.statusCode()).as(looked.body()).isEqualTo(202);
    JsonNode body = json.readTree(looked.body());
    assertThat(body.path("jobId").asLong()).isEqualTo(4242);
    assertThat(body.path("outcome").asText()).isEqualTo("looked_at");
    assertThat(json.readTree(dropped.body()).path("outcome").asText()).isEqualTo("dropped");
    assertThat(told).containsExactly(4242L, 99L);
  }

  @Test
  void aViewerCannotMakeAjrLookAtJobs() throws Exception {
    HttpResponse<String> refused = post("/api/v1/slurm/jobs/4242/changed", "alice", "alice-pass");

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("tell ajr of Slurm's jobs");
    assertThat(told).isEmpty();
  }

  @Test
  void aJobIdThatIsNotANumberIsRefusedBeforeAnythingIsTold() throws Exception {
    HttpResponse<String> refused = post("/api/v1/slurm/jobs/12%3B34/changed", "hook", "hook-pass");

    assertThat(refused.statusCode()).isIn(400, 404);
    assertThat(told).isEmpty();
  }
}
