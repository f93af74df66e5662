package dev.ajr.server.it;

import org.junit.jupiter.api.BeforeAll;

/**
 * The end-to-end scenarios with the server reading Slurm through slurmrestd ({@code
 * slurm.tracking-path: rest}, {@link SlurmCluster#restTrackingPath}) on its embedded SQLite
 * database; its writes go through Slurm's commands as with the default path.
 */
class RecoveryOnSlurmRestIT extends RecoveryOnSlurmContract {

  @BeforeAll
  static void start() throws Exception {
    startServerAndSubmitJobs(SlurmCluster.restTrackingPath());
  }
}
