package dev.ajr.core.job;

/**
 * What a job comment says about recovery: no directive, a valid one, or one that cannot be
 * followed. A job with an invalid directive is tracked and shows the problem; ajr never acts on it.
 */
public sealed interface DirectiveResult {

  /** The comment holds no APS directive: the job did not opt in. */
  record Absent() implements DirectiveResult {}

  /** A directive ajr follows. */
  record Valid(Directive directive) implements DirectiveResult {}

  /**
   * A directive ajr cannot follow.
   *
   * @param problem a sentence for the job owner saying what is wrong and how to fix it
   */
  record Invalid(String problem) implements DirectiveResult {}

  DirectiveResult ABSENT = new Absent();
}
