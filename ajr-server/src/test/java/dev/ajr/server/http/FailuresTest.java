package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.recovery.Fence;
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.server.auth.Directory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a handler throws becomes one status and error code. */
class FailuresTest {

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private static String status(Exception e) {
    ApiException api = Failures.toApi(e, "GET /api/v1/test");
    return api.status() + " " + api.code() + ": " + api.getMessage();
  }

  @Test
  void anApiExceptionKeepsItsStatusAndCode() {
    ApiException e = new ApiException(409, "last_admin", "bob is the last administrator");
    assertThat(Failures.toApi(e, "PUT /api/v1/users/bob")).isSameAs(e);
  }

  @Test
  void anUnreachableDirectoryIsUnavailable() {
    assertThat(status(new Directory.Unavailable("ldap.example:636 refused", null)))
        .isEqualTo(
            "503 directory_unavailable: the user directory cannot be reached: ldap.example:636"
                + " refused");
  }

  @Test
  void aSchedulerFailureIsUnavailableWhenTransientElseABadRequest() {
    assertThat(status(new SchedulerException("slurmctld did not answer", true)))
        .isEqualTo("503 scheduler: slurmctld did not answer");
    assertThat(status(new SchedulerException("Invalid node name specified", false)))
        .isEqualTo("400 scheduler: Invalid node name specified");
  }

  @Test
  void aFencedOutReplicaSendsTheCallerToTheLeader() {
    assertThat(status(new Fence.FencedOut("the lease moved to ajr-2")))
        .isEqualTo(
            "503 not_leader: this replica does not act on Slurm now (the lease moved to ajr-2);"
                + " ask the leader");
  }

  @Test
  void anInterruptIsUnavailableAndKeepsTheThreadsInterrupt() {
    assertThat(status(new InterruptedException()))
        .isEqualTo("503 interrupted: the server is stopping");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void anythingElseIsAnInternalError() {
    assertThat(status(new IllegalStateException("the pool is closed")))
        .isEqualTo("500 internal: the server could not answer: the pool is closed");
  }
}
