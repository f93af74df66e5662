package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.auth.Role;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.slurm.ProcessCommandRunner;
import dev.ajr.slurm.SlurmCliScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ajr stops in the middle of a recovery, right after the job was requeued held and before it was
 * released: the job must not stay held. A new server on the same database resumes the recovery,
 * without requeueing the job a second time.
 */
class ResumeAfterCrashIT {

  private static final String PASSWORD = "it-" + UUID.randomUUID();

  @Test
  void recoveryInterruptedAfterRequeueHoldIsResumedWithoutRepeatingIt() throws Exception {
    SlurmCluster.requireRunning();
    Path root = Files.createTempDirectory("ajr-it-resume-");
    AjrConfig config = SlurmCluster.serverConfig(root, Map.of());
    Path dir = Files.createDirectories(root.resolve("job"));
    Files.writeString(
        dir.resolve("job.sh"),
        """
        #!/bin/bash
        #SBATCH --comment='{"APS": {"auto_resume_mode": "requeue", "max_requeue_times": 1}}'
        if [ "${SLURM_RESTART_COUNT:-0}" = 0 ]; then
          sleep 2
          echo 'Rank0: (1) segmentation fault: artificial segfault'
          sleep 120
          exit 1
        fi
        echo 'resumed from checkpoint'
        """);
    SlurmCliScheduler slurm =
        new SlurmCliScheduler(new ProcessCommandRunner(), Duration.ofSeconds(30));

    AjrServer first = new AjrServer(config);
    first.users().putUser("it-admin", PASSWORD, Role.ADMIN);
    CountDownLatch requeued = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    long[] jobId = {-1};
    first
        .events()
        .subscribe(event -> {
          if (event instanceof AjrEvent.ActionUpdated u
              && u.jobId() == jobId[0]
              && u.action().kind() == ActionKind.REQUEUE_HOLD
              && u.action().state() == ActionState.VERIFIED) {
            requeued.countDown();
            try {
              never.await(); // hold the recovery here until the server is stopped
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    first.start();
    long id;
    try {
      id = SlurmCluster.sbatch(dir, "-J", "ajr-it-resume", "-p", "debug", "job.sh");
      jobId[0] = id;
      assertThat(requeued.await(3, TimeUnit.MINUTES))
          .as("ajr requeued the job held within 3 minutes")
          .isTrue();
    } finally {
      first.close();
    }

    SchedulerJob held = slurm.job(id).orElseThrow();
    assertThat(held.held()).as("the job is held while ajr is down: %s", held).isTrue();
    assertThat(held.restartCount()).isEqualTo(1);

    AjrServer second = new AjrServer(config);
    second.start();
    try {
      ApiClient api = new ApiClient(second.url(), "it-admin", PASSWORD);
      JsonNode job =
          api.await(
              "/api/v1/jobs/" + id,
              Duration.ofMinutes(3),
              "the resumed job to complete",
              j -> "COMPLETED".equals(j.at("/job/status").asText()));
      JsonNode decision = job.at("/decisions/0");
      assertThat(decision.get("state").asText()).isEqualTo("DONE");
      assertThat(job.get("decisions")).hasSize(1);
      for (JsonNode action : decision.get("actions")) {
        assertThat(action.get("state").asText()).as(action.toString()).isEqualTo("VERIFIED");
      }
      assertThat(decision.at("/actions/0/tries").asInt())
          .as("the requeue was sent once, before the stop")
          .isEqualTo(1);
      assertThat(job.get("attempts")).hasSize(2);
      assertThat(job.at("/attempts/0/state").asText()).isEqualTo("KILLED");
      assertThat(job.at("/attempts/1/state").asText()).isEqualTo("COMPLETED");
      SchedulerJob done = slurm.job(id).orElseThrow();
      assertThat(done.restartCount()).as("Slurm requeued the job exactly once").isEqualTo(1);
      assertThat(done.state()).isEqualTo("COMPLETED");
    } finally {
      second.close();
      SlurmCluster.run(root, List.of("scancel", Long.toString(id)));
    }
  }
}
