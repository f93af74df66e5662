package dev.ajr.server.cluster;

import dev.ajr.core.recovery.Fence;

/**
 * Whether this server acts on Slurm now. A single server (no {@code cluster.replicas}) always does;
 * a replica does once it has been elected leader ({@link LeaderElection}). Decisions, drains and
 * every Slurm command ask this first; the {@link #fence} checks the lease again before each
 * command.
 *
 * <p>Thread-safe: read from any thread, changed only by the election.
 */
public sealed interface Leadership permits Leadership.Single, Leadership.Elected {

  /** This server always acts. */
  static Leadership single() {
    return new Single();
  }

  /** This server acts once the election made it the leader. */
  static Leadership elected(LeaderElection election) {
    return new Elected(election);
  }

  /** Whether this server acts on Slurm now. */
  boolean acts();

  /** Whether other replicas share the database (and the leader's sweep takes up their work). */
  boolean replicated();

  /** What {@code /healthz} calls this server: single, leader or follower. */
  String role();

  /** What every Slurm command checks just before it is sent. */
  Fence fence();

  /** No replicas. */
  record Single() implements Leadership {
    @Override
    public boolean acts() {
      return true;
    }

    @Override
    public boolean replicated() {
      return false;
    }

    @Override
    public String role() {
      return "single";
    }

    @Override
    public Fence fence() {
      return Fence.NONE;
    }
  }

  /** One of several replicas. */
  record Elected(LeaderElection election) implements Leadership {
    @Override
    public boolean acts() {
      return election.elected();
    }

    @Override
    public boolean replicated() {
      return true;
    }

    @Override
    public String role() {
      return election.elected() ? "leader" : "follower";
    }

    @Override
    public Fence fence() {
      return election;
    }
  }
}
