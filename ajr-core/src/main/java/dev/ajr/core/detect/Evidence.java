package dev.ajr.core.detect;

/**
 * Where a line came from, which says how far it can be trusted.
 *
 * <p>Contract: only {@link #trusted() trusted} evidence may justify acting on a node (draining it)
 * or on other jobs; untrusted evidence justifies at most restarting the job that printed it.
 */
public enum Evidence {
  /** The job's own output, written by the user's program: untrusted. */
  JOB_OUTPUT(false),
  /** The node's kernel log, read by ajr's node agent (or a shipper the operator vouches for). */
  KERNEL_LOG(true),
  /** ajr's own progress monitor (a hang or a slowdown it measured). */
  MONITOR(false);

  private final boolean trusted;

  Evidence(boolean trusted) {
    this.trusted = trusted;
  }

  /** Whether this evidence may justify draining a node. */
  public boolean trusted() {
    return trusted;
  }
}
