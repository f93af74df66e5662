package dev.ajr.core.policy;

import static dev.ajr.core.policy.ActionKind.CANCEL;
import static dev.ajr.core.policy.ActionKind.EXCLUDE_NODES;
import static dev.ajr.core.policy.ActionKind.RELEASE;
import static dev.ajr.core.policy.ActionKind.REQUEUE_HOLD;
import static dev.ajr.core.policy.ActionKind.START_NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each outcome's operation, actions and stop follow from its type; none can be built wrong. */
class DecisionPlanTest {

  private static final List<String> WHY = List.of("a CRASH anomaly");

  @Test
  void aRestartRequeuesHeldSetsTheStartAndReleasesTheSameJob() {
    DecisionPlan plain = new DecisionPlan.Restart(42, List.of(), WHY);
    DecisionPlan offNode = new DecisionPlan.Restart(42, List.of("node3"), WHY);

    assertThat(plain.operation()).isEqualTo(Operation.RESTART);
    assertThat(plain.actions())
        .containsExactly(
            PlannedAction.of(REQUEUE_HOLD, 42),
            PlannedAction.of(START_NOW, 42),
            PlannedAction.of(RELEASE, 42));
    assertThat(offNode.actions())
        .containsExactly(
            PlannedAction.of(REQUEUE_HOLD, 42),
            new PlannedAction(EXCLUDE_NODES, 42, List.of("node3")),
            PlannedAction.of(START_NOW, 42),
            PlannedAction.of(RELEASE, 42));
    assertThat(plain.stopsJob()).isFalse();
    assertThat(plain.stopReason()).isEmpty();
  }

  @Test
  void aSingletonReleaseEndsTheFailedJobIfNeededAndReleasesTheSuccessor() {
    DecisionPlan running = new DecisionPlan.ReleaseSuccessor(42, true, 43, List.of("node2"), WHY);
    DecisionPlan ended = new DecisionPlan.ReleaseSuccessor(42, false, 43, List.of(), WHY);

    assertThat(running.operation()).isEqualTo(Operation.RELEASE);
    assertThat(running.actions())
        .containsExactly(
            PlannedAction.of(CANCEL, 42),
            new PlannedAction(EXCLUDE_NODES, 43, List.of("node2")),
            PlannedAction.of(RELEASE, 43));
    assertThat(ended.actions()).containsExactly(PlannedAction.of(RELEASE, 43));
    assertThat(running.stopsJob()).isFalse();
  }

  @Test
  void aSingletonReleaseNeedsASuccessorOtherThanTheFailedJob() {
    assertThatThrownBy(() -> new DecisionPlan.ReleaseSuccessor(42, true, 0, List.of(), WHY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("successor");
    assertThatThrownBy(() -> new DecisionPlan.ReleaseSuccessor(42, true, 42, List.of(), WHY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not its own successor");
  }

  @Test
  void aStopAlwaysStopsTheJobWithAReasonAndEndsOnlyARunningAttempt() {
    DecisionPlan running = new DecisionPlan.Stop(42, true, WHY, "stopped: OOM_GPU");
    DecisionPlan ended = new DecisionPlan.Stop(42, false, WHY, "stopped: OOM_GPU");

    assertThat(running.operation()).isEqualTo(Operation.STOP);
    assertThat(running.stopsJob()).isTrue();
    assertThat(running.stopReason()).isEqualTo("stopped: OOM_GPU");
    assertThat(running.actions()).containsExactly(PlannedAction.of(CANCEL, 42));
    assertThat(ended.actions()).isEmpty();
    assertThat(ended.stopsJob()).isTrue();
    assertThatThrownBy(() -> new DecisionPlan.Stop(42, true, WHY, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reason");
  }

  @Test
  void noActionHasNoActionsAndStopsNothing() {
    DecisionPlan none = DecisionPlan.NoAction.because("attempt 0 completed successfully");

    assertThat(none.operation()).isEqualTo(Operation.NONE);
    assertThat(none.actions()).isEmpty();
    assertThat(none.stopsJob()).isFalse();
    assertThat(none.stopReason()).isEmpty();
  }

  @Test
  void everyOutcomeNeedsAReasonAndAJob() {
    assertThatThrownBy(() -> new DecisionPlan.NoAction(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one reason");
    assertThatThrownBy(() -> new DecisionPlan.Restart(42, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DecisionPlan.Restart(0, List.of(), WHY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("job id above 0");
  }
}
