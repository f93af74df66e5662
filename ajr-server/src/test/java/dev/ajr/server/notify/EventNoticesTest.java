package dev.ajr.server.notify;

import static dev.ajr.server.notify.NotifyFixtures.T0;
import static dev.ajr.server.notify.NotifyFixtures.anomaly;
import static dev.ajr.server.notify.NotifyFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.notify.Notice;
import dev.ajr.core.notify.NoticeKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlRecoveryStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which events become which notices, with the job's owner and partition from the store. */
class EventNoticesTest {

  @TempDir Path dataDir;
  private Database db;
  private SqlRecoveryStore store;
  private EventNotices notices;

  @BeforeEach
  void setUp() {
    db = Database.openSqlite(dataDir);
    store = new SqlRecoveryStore(db, new MutableClock(T0));
    store.saveJob(job(7, "alice", "gpu"));
    store.saveAttempt(Attempt.pending(7, 0));
    notices = new EventNotices(store);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private Decision decide(boolean stops) {
    int attempt = stops ? 1 : 0;
    store.saveAttempt(Attempt.pending(7, attempt));
    Anomaly x = anomaly(0, 7, Cause.NCCL_ERROR, "gpu-3");
    Anomaly a =
        store
            .addAnomaly(
                new Anomaly(
                    0,
                    7,
                    attempt,
                    x.type(),
                    x.cause(),
                    x.ruleId(),
                    x.action(),
                    x.line(),
                    x.source(),
                    x.lineNumber(),
                    x.node(),
                    x.lineWrittenAt(),
                    x.lineReadAt(),
                    x.detectedAt(),
                    x.evidence()))
            .orElseThrow();
    return store.addDecision(
        new Decision(
            0,
            7,
            attempt,
            stops ? Operation.STOP : Operation.RESTART,
            List.of("NCCL_ERROR on gpu-3", "1 of 3"),
            a.id(),
            DecisionState.PLANNED,
            stops,
            stops ? "the limit of 3 is reached" : "",
            T0,
            null),
        List.of());
  }

  @Test
  void aRecoveryIsDoneWhenTheJobMovesOnAfterItsDecisionFinished() {
    Decision d = decide(false);
    assertThat(notices.notices(new AjrEvent.DecisionMade(d, List.of()), T0)).isEmpty();
    assertThat(
            notices.notices(
                new AjrEvent.JobStatusChanged(7, JobStatus.RECOVERING, "NCCL_ERROR"), T0))
        .isEmpty();
    store.saveDecision(d.withState(DecisionState.DONE, T0));

    List<Notice> out =
        notices.notices(
            new AjrEvent.JobStatusChanged(7, JobStatus.PENDING, "requeued by ajr after attempt 0"),
            T0);

    assertThat(out)
        .singleElement()
        .satisfies(n -> {
          assertThat(n.kind()).isEqualTo(NoticeKind.RECOVERY_DONE);
          assertThat(n.user()).isEqualTo("alice");
          assertThat(n.partition()).isEqualTo("gpu");
          assertThat(n.cause()).isEqualTo("NCCL_ERROR");
          assertThat(n.text())
              .isEqualTo(
                  "job 7 (train-7, user alice, partition gpu): recovered: requeued by ajr after"
                      + " attempt 0");
        });
    // the job's later changes are no second recovery
    assertThat(notices.notices(new AjrEvent.JobStatusChanged(7, JobStatus.RUNNING, ""), T0))
        .isEmpty();
  }

  @Test
  void aFailedRecoveryAndAStoppedJobAreTold() {
    Decision d = decide(false);
    notices.notices(new AjrEvent.DecisionMade(d, List.of()), T0);
    store.saveDecision(d.withState(DecisionState.FAILED, T0));

    assertThat(
            notices.notices(
                new AjrEvent.JobStatusChanged(
                    7, JobStatus.RUNNING, "recovery failed: slurmctld unreachable"),
                T0))
        .singleElement()
        .satisfies(n -> {
          assertThat(n.kind()).isEqualTo(NoticeKind.RECOVERY_FAILED);
          assertThat(n.text()).endsWith("recovery failed: slurmctld unreachable");
        });

    Decision stop = decide(true);
    notices.notices(new AjrEvent.DecisionMade(stop, List.of()), T0);
    store.saveDecision(stop.withState(DecisionState.DONE, T0));
    assertThat(
            notices.notices(
                new AjrEvent.JobStatusChanged(7, JobStatus.STOPPED, "the limit of 3 is reached"),
                T0))
        .singleElement()
        .satisfies(n -> assertThat(n.kind()).isEqualTo(NoticeKind.JOB_STOPPED));
  }

  @Test
  void nodeNoticesCarryTheNodeAndGoToNoOwner() {
    List<Notice> out = notices.notices(NotifyFixtures.held("gpu-3", 7), T0);

    assertThat(out)
        .singleElement()
        .satisfies(n -> {
          assertThat(n.kind()).isEqualTo(NoticeKind.NODE_HELD);
          assertThat(n.node()).isEqualTo("gpu-3");
          assertThat(n.user()).isEmpty();
          assertThat(n.partition()).isEqualTo("gpu");
          assertThat(n.text())
              .isEqualTo("node gpu-3: drain held back: drain held: 10 drains within 1h");
        });
  }

  @Test
  void progressEventsAreNotNotified() {
    assertThat(notices.notices(new AjrEvent.AttemptStarted(7, 0, List.of("gpu-3"), T0), T0))
        .isEmpty();
    assertThat(notices.notices(new AjrEvent.JobStatusChanged(7, JobStatus.RUNNING, ""), T0))
        .isEmpty();
  }
}
