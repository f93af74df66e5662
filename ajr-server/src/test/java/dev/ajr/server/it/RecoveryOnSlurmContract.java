package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.auth.Role;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.slurm.ProcessCommandRunner;
import dev.ajr.slurm.SlurmCliScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * End to end on the local Slurm cluster, run by {@link RecoveryOnSlurmIT} (embedded SQLite) and
 * {@link RecoveryOnMariaDbIT} ({@code ./ajr dev-cluster up}): the server runs in this JVM on an
 * embedded database, jobs are submitted with the real {@code sbatch}, and what ajr did is read
 * through its API and checked against what Slurm shows. All jobs are submitted up front so they run
 * side by side on the four nodes.
 */
abstract class RecoveryOnSlurmContract {

  private static final String PASSWORD = "it-" + UUID.randomUUID();
  private static final String SEGFAULT = GuideVerification.SEGFAULT;
  static final Duration PATIENCE = Duration.ofMinutes(4);

  private static Path root;
  private static AjrServer server;
  static ApiClient api;
  private static SlurmCliScheduler slurm;
  private static final List<Long> submitted = new ArrayList<>();

  private static Path verificationDir;
  static long verificationJob;
  private static long chainFirst;
  private static long chainSecond;
  private static long malformedJob;
  private static long undirectedJob;
  private static long normalJob;
  private static long hangingJob;

  /**
   * Starts the server with the given extra configuration (a database, say) and submits the jobs;
   * each subclass calls it from its own {@code @BeforeAll}.
   */
  static void startServerAndSubmitJobs(Map<String, String> extra) throws Exception {
    SlurmCluster.requireRunning();
    root = Files.createTempDirectory("ajr-it-");
    AjrConfig config = SlurmCluster.serverConfig(root, extra);
    server = new AjrServer(config);
    server.users().putUser("it-admin", PASSWORD, Role.ADMIN);
    server.start();
    api = new ApiClient(server.url(), "it-admin", PASSWORD);
    slurm = new SlurmCliScheduler(new ProcessCommandRunner(), Duration.ofSeconds(30));

    // The installation guide's verification job, byte for byte.
    verificationDir = Files.createDirectories(root.resolve("verification"));
    verificationJob = GuideVerification.submit(verificationDir);
    submitted.add(verificationJob);

    String chain = "ajr-it-chain-" + UUID.randomUUID().toString().substring(0, 8);
    Path chainDir = Files.createDirectories(root.resolve("chain"));
    write(
        chainDir.resolve("first.sh"),
        "{\"APS\": {\"auto_resume_mode\": \"singleton_dependency\", \"max_requeue_times\": 1}}",
        "echo 'training from scratch'\nsleep 3\necho '" + SEGFAULT + "'\nsleep 120\nexit 1");
    write(
        chainDir.resolve("second.sh"),
        "{\"APS\": {\"auto_resume_mode\": \"singleton_dependency\", \"max_requeue_times\": 1}}",
        "echo 'resumed from checkpoint'\nsleep 2\necho 'training done'");
    chainFirst = submit(chainDir, "-J", chain, "-p", "debug", "--dependency=singleton", "first.sh");
    chainSecond =
        submit(
            chainDir, "-J", chain, "-p", "debug", "--dependency=singleton", "--hold", "second.sh");

    Path otherDir = Files.createDirectories(root.resolve("other"));
    String crashing = "echo start\nsleep 3\necho '" + SEGFAULT + "'\nsleep 3\nexit 1";
    write(
        otherDir.resolve("malformed.sh"),
        "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 1",
        crashing);
    malformedJob = submit(otherDir, "-J", "ajr-it-malformed", "-p", "debug", "malformed.sh");
    write(otherDir.resolve("undirected.sh"), null, crashing);
    undirectedJob = submit(otherDir, "-J", "ajr-it-undirected", "-p", "debug", "undirected.sh");
    write(
        otherDir.resolve("normal.sh"),
        "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 1}}",
        "echo 'epoch 1 loss 0.52'\nsleep 2\necho 'training done'\nexit 0");
    normalJob = submit(otherDir, "-J", "ajr-it-normal", "-p", "debug", "normal.sh");
    write(
        otherDir.resolve("hanging.sh"),
        "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 1,"
            + " \"hang_timeout\": 5}}",
        "if [ \"${SLURM_RESTART_COUNT:-0}\" = 0 ]; then\n"
            + "  for i in 1 2 3 4 5; do echo \"step $i loss 1.0\"; sleep 1; done\n"
            + "  sleep 300\n"
            + "fi\n"
            + "echo 'step 6 loss 0.9'\necho 'training done'");
    hangingJob = submit(otherDir, "-J", "ajr-it-hanging", "-p", "debug", "hanging.sh");
  }

  @AfterAll
  static void stop() throws Exception {
    for (long id : submitted) {
      try {
        SlurmCluster.run(root, List.of("scancel", Long.toString(id)));
      } catch (IOException e) {
        // already gone
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void verificationJobIsRequeuedOnceThenStoppedAtTheLimit() throws Exception {
    JsonNode job =
        api.await(
            "/api/v1/jobs/" + verificationJob,
            PATIENCE,
            "the verification job to be stopped",
            j -> "STOPPED".equals(j.at("/job/status").asText()));

    GuideVerification.assertRecovered(job, slurm, verificationDir, verificationJob);
    GuideVerification.report(job);
  }

  @Test
  void singletonChainEndsTheFailedJobAndReleasesItsHeldSuccessor() throws Exception {
    JsonNode first =
        api.await(
            "/api/v1/jobs/" + chainFirst,
            PATIENCE,
            "the first job of the chain to be ended",
            j ->
                j.get("decisions").size() == 1
                    && "DONE".equals(j.at("/decisions/0/state").asText()));
    JsonNode decision = first.at("/decisions/0");
    assertThat(decision.get("operation").asText()).isEqualTo("RELEASE");
    assertThat(GuideVerification.kinds(decision.get("actions")))
        .containsExactly("CANCEL", "RELEASE");
    assertThat(decision.at("/actions/0/targetJobId").asLong()).isEqualTo(chainFirst);
    assertThat(decision.at("/actions/1/targetJobId").asLong()).isEqualTo(chainSecond);
    assertThat(first.at("/attempts/0/state").asText()).isEqualTo("KILLED");

    JsonNode second =
        api.await(
            "/api/v1/jobs/" + chainSecond,
            PATIENCE,
            "the released successor to complete",
            j -> "COMPLETED".equals(j.at("/job/status").asText()));
    assertThat(second.get("attempts")).hasSize(1);
    assertThat(second.get("decisions")).isEmpty();
    assertThat(slurm.job(chainFirst).orElseThrow().state()).isEqualTo("CANCELLED");
  }

  @Test
  void malformedDirectiveIsTrackedAndShownButNeverActedOn() throws Exception {
    JsonNode job = awaitEnded(malformedJob);
    assertThat(job.at("/job/directive/status").asText()).isEqualTo("INVALID");
    assertThat(job.at("/job/directive/problem").asText()).contains("not valid JSON");
    assertNoActionTaken(job, malformedJob);
  }

  @Test
  void jobWithoutDirectiveIsTrackedButNeverTouched() throws Exception {
    JsonNode job = awaitEnded(undirectedJob);
    assertThat(job.at("/job/directive/status").asText()).isEqualTo("ABSENT");
    assertThat(job.at("/decisions/0/reasons").toString()).contains("did not opt in");
    assertNoActionTaken(job, undirectedJob);
  }

  @Test
  void jobThatEndsNormallyIsRecordedAsCompleted() throws Exception {
    JsonNode job =
        api.await(
            "/api/v1/jobs/" + normalJob,
            PATIENCE,
            "the normal job to complete",
            j -> "COMPLETED".equals(j.at("/job/status").asText()));
    assertThat(job.get("attempts")).hasSize(1);
    assertThat(job.at("/attempts/0/state").asText()).isEqualTo("COMPLETED");
    assertThat(job.at("/attempts/0/exitCode").asInt()).isZero();
    assertThat(job.get("anomalies")).isEmpty();
    assertThat(job.get("decisions")).isEmpty();
  }

  @Test
  void aJobThatStopsMakingProgressIsRestartedAsHung() throws Exception {
    JsonNode job =
        api.await(
            "/api/v1/jobs/" + hangingJob,
            PATIENCE,
            "the hanging job to be restarted and complete",
            j -> "COMPLETED".equals(j.at("/job/status").asText()));

    JsonNode anomaly = GuideVerification.anomalyOf(job.get("anomalies"), 0);
    assertThat(anomaly.get("type").asText()).isEqualTo("HANG");
    assertThat(anomaly.get("cause").asText()).isEqualTo("HANG");
    assertThat(anomaly.get("line").asText()).contains("no progress", "hang_timeout is 5 s");
    assertThat(job.at("/decisions/0/operation").asText()).isEqualTo("RESTART");
    assertThat(job.at("/attempts/0/state").asText()).isEqualTo("KILLED");
    assertThat(job.at("/attempts/1/state").asText()).isEqualTo("COMPLETED");
    assertThat(slurm.job(hangingJob).orElseThrow().restartCount()).isEqualTo(1);
  }

  private static JsonNode awaitEnded(long id) throws Exception {
    return api.await(
        "/api/v1/jobs/" + id,
        PATIENCE,
        "job " + id + " to end with its anomaly recorded",
        j -> "FAILED".equals(j.at("/job/status").asText()) && j.get("decisions").size() == 1);
  }

  /** The anomaly is recorded, the decision is NONE, and Slurm never requeued the job. */
  private static void assertNoActionTaken(JsonNode job, long id) throws Exception {
    assertThat(GuideVerification.anomalyOf(job.get("anomalies"), 0).get("line").asText())
        .isEqualTo(SEGFAULT);
    assertThat(job.at("/decisions/0/operation").asText()).isEqualTo("NONE");
    assertThat(job.at("/decisions/0/actions")).isEmpty();
    assertThat(job.get("attempts")).hasSize(1);
    assertThat(job.at("/attempts/0/state").asText()).isEqualTo("FAILED");
    assertThat(job.at("/attempts/0/exitCode").asInt()).isEqualTo(1);
    assertThat(slurm.job(id).orElseThrow().restartCount()).isZero();
  }

  private static long submit(Path dir, String... args) throws Exception {
    long id = SlurmCluster.sbatch(dir, args);
    submitted.add(id);
    return id;
  }

  private static void write(Path script, String comment, String body) throws IOException {
    String header = "#!/bin/bash\n";
    if (comment != null) {
      header += "#SBATCH --comment='" + comment + "'\n";
    }
    Files.writeString(script, header + body + "\n");
  }
}
