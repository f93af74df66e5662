package dev.ajr.server.it;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** The end-to-end scenarios with the server on its embedded SQLite database. */
class RecoveryOnSlurmIT extends RecoveryOnSlurmContract {

  @BeforeAll
  static void start() throws Exception {
    startServerAndSubmitJobs(Map.of());
  }
}
