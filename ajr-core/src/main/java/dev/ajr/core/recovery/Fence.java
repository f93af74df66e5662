package dev.ajr.core.recovery;

/**
 * Checked right before every command ajr sends to the scheduler: with several replicas, only the
 * holder of the current leader lease (and its fencing token) may act, so a replica that was paused
 * and lost the lease meanwhile cannot act late.
 */
@FunctionalInterface
public interface Fence {

  /**
   * @throws FencedOut when this process is no longer the one allowed to act
   */
  void check() throws FencedOut;

  /** A single server: always allowed. */
  Fence NONE = () -> {};

  /** This process lost the right to act. */
  final class FencedOut extends Exception {
    public FencedOut(String message) {
      super(message);
    }
  }
}
