package dev.ajr.server.cluster;

import dev.ajr.server.service.Service;
import dev.ajr.server.service.ServiceGroup;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches on the services that act on Slurm (the scheduler poller, the log follower, recovery
 * threads...) when this server may act, and runs the replicas' once-a-second duties.
 *
 * <p>A single server starts the acting services at once. A replica starts as a follower (it serves
 * the API and takes lines from agents and shippers) and runs {@code followerWork} every second;
 * once {@link LeaderElection} makes it the leader it calls {@link LeaderDuties#elected}, starts the
 * acting services and from then on runs {@link LeaderDuties#sweep} every second instead (thread
 * {@code ajr-replica}). A leader that loses its lease, or whose acting services fail to start,
 * calls {@code onLost}, which in production ends the process so that nothing of it acts late.
 */
public final class ReplicaRole implements Service {

  private static final Logger log = LoggerFactory.getLogger(ReplicaRole.class);

  /** What the leader does besides running the acting services. */
  public interface LeaderDuties {
    /** Called once, on election, before the acting services start. */
    void elected();

    /** Called every second while leading: takes up what followers stored. */
    void sweep();
  }

  private final Leadership leadership;
  private final ServiceGroup acting;
  private final LeaderDuties leader;
  private final Runnable followerWork;
  private final Runnable onLost;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ajr-replica").daemon(true).factory());

  /**
   * @param acting the services that act on Slurm, started when this server may act
   * @param leader the leader's once-a-second duties (replicas only)
   * @param followerWork a follower's once-a-second work (replicas only)
   * @param onLost what to do when a leader can no longer act
   */
  public ReplicaRole(
      Leadership leadership,
      ServiceGroup acting,
      LeaderDuties leader,
      Runnable followerWork,
      Runnable onLost) {
    this.leadership = leadership;
    this.acting = acting;
    this.leader = leader;
    this.followerWork = followerWork;
    this.onLost = onLost;
  }

  @Override
  public String name() {
    return leadership.replicated() ? "replica role" : "acting services";
  }

  @Override
  public void start() throws ServiceGroup.StartFailed {
    switch (leadership) {
      case Leadership.Single single -> acting.start();
      case Leadership.Elected elected -> {
        join(elected.election());
        ticker.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
        elected.election().start();
      }
    }
  }

  /** Ties the election's outcomes to this role (separate from {@link #start} for tests). */
  void join(LeaderElection election) {
    election.listen(this::onElected, onLost);
  }

  /** One second's work of a replica: the leader's sweep, or a follower's refresh. */
  void tick() {
    try {
      if (leadership.acts()) {
        leader.sweep();
      } else {
        followerWork.run();
      }
    } catch (RuntimeException e) {
      log.warn("the replica's work of this second failed, trying again: {}", e.toString());
    }
  }

  /** On the election thread, when this replica first holds the lease. */
  void onElected() {
    leader.elected();
    try {
      acting.start();
    } catch (ServiceGroup.StartFailed e) {
      log.error("the elected leader cannot act: {}", e.getMessage());
      onLost.run();
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    if (leadership instanceof Leadership.Elected elected) {
      elected.election().close();
    }
    acting.close();
  }
}
