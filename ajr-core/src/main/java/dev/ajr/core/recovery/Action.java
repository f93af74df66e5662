package dev.ajr.core.recovery;

import dev.ajr.core.policy.ActionKind;
import java.time.Instant;
import java.util.List;

/**
 * One scheduler operation of a decision, recorded before and after it is taken.
 *
 * @param seq its position in the decision, from 0
 * @param tries how many times the command was sent
 * @param outcome what happened, in words (the verified state, or the last error)
 */
public record Action(
    long id,
    long decisionId,
    int seq,
    ActionKind kind,
    long targetJobId,
    List<String> nodes,
    ActionState state,
    int tries,
    String outcome,
    Instant startedAt,
    Instant finishedAt) {

  public Action {
    nodes = List.copyOf(nodes);
    outcome = outcome == null ? "" : outcome;
  }

  public Action issued(Instant at) {
    return new Action(
        id,
        decisionId,
        seq,
        kind,
        targetJobId,
        nodes,
        ActionState.ISSUED,
        tries + 1,
        outcome,
        startedAt == null ? at : startedAt,
        null);
  }

  public Action withOutcome(ActionState newState, String text, Instant at) {
    return new Action(
        id,
        decisionId,
        seq,
        kind,
        targetJobId,
        nodes,
        newState,
        tries,
        text,
        startedAt == null ? at : startedAt,
        newState == ActionState.ISSUED || newState == ActionState.PENDING ? null : at);
  }
}
