package dev.ajr.server.audit;

/**
 * Who or what did what, when: a durable trail of people's actions (logins, undrains, users, tokens)
 * and ajr's own (decisions, recovery actions, node drains), shown on the Audit page.
 *
 * <p>Contract: {@link #record} never throws (a failed write is logged and dropped: auditing must
 * not stop the action it describes); {@code detail} holds no secret.
 */
public interface AuditLog {

  /**
   * @param actor a user name, or {@code "ajr"} for ajr itself
   * @param action a short verb phrase such as {@code login.failed}, {@code node.undrain}
   * @param target what was acted on (a job id, a node, a user), or empty
   * @param detail free text for people
   */
  void record(String actor, String action, String target, String detail);

  /**
   * Counts one more occurrence of something that happens in bursts: the first in a window writes a
   * row at the window's start, the next ones add to its count and replace its detail. A log that
   * cannot count writes a row each time.
   *
   * @param window the start of the window (such as the minute) the occurrence belongs to
   */
  default void recordRepeated(
      String actor, String action, String target, String detail, java.time.Instant window) {
    record(actor, action, target, detail);
  }

  /** An audit log that keeps nothing (tests, tools). */
  AuditLog NONE = (actor, action, target, detail) -> {};
}
