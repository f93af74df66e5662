package dev.ajr.core.recovery;

/** Where a decision stands: PLANNED and IN_PROGRESS are resumed when ajr starts. */
public enum DecisionState {
  PLANNED,
  IN_PROGRESS,
  DONE,
  FAILED;

  public boolean isFinal() {
    return this == DONE || this == FAILED;
  }
}
