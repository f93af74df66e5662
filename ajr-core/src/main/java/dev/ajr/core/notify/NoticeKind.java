package dev.ajr.core.notify;

import java.util.Arrays;
import java.util.Optional;

/** What a notification is about; {@link #configName} is how rules name it. */
public enum NoticeKind {
  /** A job's output showed a failure (a stored anomaly, with its cause and node). */
  ANOMALY("anomaly"),
  /** A recovery's actions were all verified: the job was requeued (or released). */
  RECOVERY_DONE("recovery-done"),
  /** A recovery could not be carried out (its actions failed until the deadline). */
  RECOVERY_FAILED("recovery-failed"),
  /** ajr stopped the job and will not restart it; the reason says why. */
  JOB_STOPPED("job-stopped"),
  /** Slurm forgot the job before ajr saw how it ended. */
  JOB_LOST("job-lost"),
  /** A node became suspect. */
  NODE_SUSPECT("node-suspect"),
  /** ajr drained a node. */
  NODE_DRAINED("node-drained"),
  /** A drain was justified but held back (blast-radius limit, observe mode). */
  NODE_HELD("node-held"),
  /** A drain could not be carried out. */
  NODE_DRAIN_FAILED("node-drain-failed"),
  /** A node is back in service. */
  NODE_RESUMED("node-resumed");

  private final String configName;

  NoticeKind(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Optional<NoticeKind> byConfigName(String name) {
    return Arrays.stream(values()).filter(k -> k.configName.equals(name)).findFirst();
  }

  public boolean isNode() {
    return name().startsWith("NODE_");
  }
}
