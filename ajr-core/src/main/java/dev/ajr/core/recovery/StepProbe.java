package dev.ajr.core.recovery;

/**
 * Told each step of a recovery as the executor reaches it: {@code decision.started}, then for each
 * action {@code KIND.issued} (recorded, not yet sent), {@code KIND.sent} (sent, not yet verified),
 * {@code KIND.verified} (recorded verified), and {@code decision.finishing}. Fault-injection tests
 * use it to stop ajr at a chosen step; in production it does nothing.
 */
@FunctionalInterface
public interface StepProbe {

  void reached(String step);

  StepProbe NONE = step -> {};
}
