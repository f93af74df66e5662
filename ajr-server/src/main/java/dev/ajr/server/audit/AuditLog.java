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

  /** An audit log that keeps nothing (tests, tools). */
  AuditLog NONE = (actor, action, target, detail) -> {};
}
