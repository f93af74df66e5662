package dev.ajr.core.node;

/** Why {@link NodeIsolator#resume} changed nothing; the message says why and what to do instead. */
public final class ResumeRefused extends Exception {

  /** The kinds of refusal. */
  public enum Reason {
    /** The text is not a node name. */
    NOT_A_NODE_NAME,
    /** ajr did not drain the node (or someone drained it again since). */
    NOT_DRAINED_BY_AJR,
    /** ajr only observes, and the caller did not force the resume. */
    OBSERVE_MODE
  }

  private final Reason reason;

  ResumeRefused(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
