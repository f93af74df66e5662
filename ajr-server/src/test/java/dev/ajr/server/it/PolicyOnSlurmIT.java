package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.auth.Role;
import dev.ajr.server.config.AjrConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The policy on the local cluster: a bug in the job (a Python KeyError) is not retried, and observe
 * mode decides and records but never touches Slurm.
 */
class PolicyOnSlurmIT {

  private static final String PASSWORD = "it-" + UUID.randomUUID();
  private static final Pattern RESTARTS = Pattern.compile("Restarts=(\\d+)");

  @Test
  void aJobWithAKeyErrorIsStoppedAfterItsFirstAttempt() throws Exception {
    SlurmCluster.requireRunning();
    Path root = Files.createTempDirectory("ajr-it-keyerror-");
    AjrConfig config = SlurmCluster.serverConfig(root, Map.of());
    long id = -1;
    try (AjrServer server = new AjrServer(config)) {
      server.users().putUser("it-admin", PASSWORD, Role.ADMIN);
      server.start();
      id =
          submit(
              root,
              "ajr-it-keyerror",
              """
              echo 'Traceback (most recent call last):'
              echo '  File "train.py", line 88, in <module>'
              echo "    lr = config['lr']"
              echo "KeyError: 'lr'"
              sleep 300
              """);
      JsonNode job =
          new ApiClient(server.url(), "it-admin", PASSWORD)
              .await(
                  "/api/v1/jobs/" + id,
                  Duration.ofSeconds(90),
                  "the job stopped",
                  j -> "STOPPED".equals(j.at("/job/status").asText()));
      assertThat(job.at("/decisions/0/operation").asText()).isEqualTo("STOP");
      assertThat(job.at("/decisions/0/reasons").toString()).contains("KeyError");
      assertThat(job.at("/job/statusReason").asText()).contains("would happen again");
      assertThat(job.get("attempts")).hasSize(1);
      String slurm = scontrol(root, id);
      assertThat(restarts(slurm)).as("never requeued").isZero();
      assertThat(slurm).contains("JobState=CANCELLED");
    } finally {
      cancel(root, id);
    }
  }

  @Test
  void observeModeRecordsWhatItWouldDoAndChangesNothingInSlurm() throws Exception {
    SlurmCluster.requireRunning();
    Path root = Files.createTempDirectory("ajr-it-observe-");
    AjrConfig config = SlurmCluster.serverConfig(root, Map.of("recovery.mode", "observe"));
    long id = -1;
    try (AjrServer server = new AjrServer(config)) {
      server.users().putUser("it-admin", PASSWORD, Role.ADMIN);
      server.start();
      id =
          submit(
              root,
              "ajr-it-observe",
              """
              sleep 1
              echo 'Rank0: (1) segmentation fault: artificial segfault'
              sleep 20
              exit 1
              """);
      ApiClient api = new ApiClient(server.url(), "it-admin", PASSWORD);
      JsonNode job =
          api.await(
              "/api/v1/jobs/" + id,
              Duration.ofSeconds(90),
              "the decision recorded and the job ended on its own",
              j ->
                  j.path("decisions").size() == 1
                      && "FAILED".equals(j.at("/attempts/0/state").asText()));
      assertThat(job.at("/decisions/0/operation").asText()).isEqualTo("RESTART");
      assertThat(job.at("/decisions/0/reasons").toString()).contains("observe mode");
      assertThat(job.at("/decisions/0/actions")).isNotEmpty();
      for (JsonNode action : job.at("/decisions/0/actions")) {
        assertThat(action.path("state").asText()).isEqualTo("SKIPPED");
      }
      assertThat(job.get("attempts")).hasSize(1);
      String slurm = scontrol(root, id);
      assertThat(restarts(slurm)).as("never requeued").isZero();
      assertThat(slurm).contains("JobState=FAILED");
    } finally {
      cancel(root, id);
    }
  }

  private static long submit(Path root, String name, String body)
      throws IOException, InterruptedException {
    Path dir = Files.createDirectories(root.resolve(name));
    Files.writeString(
        dir.resolve("job.sh"),
        "#!/bin/bash\n"
            + "#SBATCH --comment='{\"APS\": {\"auto_resume_mode\": \"requeue\","
            + " \"max_requeue_times\": 3}}'\n"
            + body);
    return SlurmCluster.sbatch(dir, "-J", name, "-p", "debug", "job.sh");
  }

  private static String scontrol(Path root, long id) throws IOException, InterruptedException {
    return SlurmCluster.run(root, List.of("scontrol", "show", "job", Long.toString(id)));
  }

  private static int restarts(String scontrol) {
    Matcher m = RESTARTS.matcher(scontrol);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static void cancel(Path root, long id) throws IOException, InterruptedException {
    if (id > 0) {
      SlurmCluster.run(root, List.of("scancel", Long.toString(id)));
    }
  }
}
