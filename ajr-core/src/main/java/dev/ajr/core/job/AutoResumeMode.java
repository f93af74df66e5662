package dev.ajr.core.job;

import java.util.Optional;

/** How a job asks to be resumed after a failure: the {@code auto_resume_mode} of its directive. */
public enum AutoResumeMode {
  /** ajr requeues the same job id: requeue held, adjust, release. */
  REQUEUE("requeue"),
  /**
   * The user submitted a chain of same-name jobs with {@code --dependency=singleton}, the successor
   * held; ajr ends the failed job and releases the held successor.
   */
  SINGLETON_DEPENDENCY("singleton_dependency");

  private final String directiveValue;

  AutoResumeMode(String directiveValue) {
    this.directiveValue = directiveValue;
  }

  /** The value as written in the job comment, for example {@code requeue}. */
  public String directiveValue() {
    return directiveValue;
  }

  /** The mode named by a directive value, exactly as written (case-sensitive). */
  public static Optional<AutoResumeMode> fromDirectiveValue(String value) {
    for (AutoResumeMode mode : values()) {
      if (mode.directiveValue.equals(value)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
