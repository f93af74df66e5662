package dev.ajr.server.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a node agent runs.
 *
 * @param server the ajr server's base URL
 * @param node this node's name, as Slurm names it
 * @param token the agent token (the server's {@code agent.token} file)
 * @param kernelLog the kernel log to read: {@link #KMSG} for the real one, a file for test
 *     clusters, or null to read none
 * @param jobOutput whether to read the output of the jobs running on this node
 * @param stateDir where the agent keeps how far it got, so a restart neither loses nor repeats
 * @param pollInterval how often files are read when there was nothing new
 * @param refreshInterval how often the server is asked which jobs run here
 * @param maxBatchLines the most lines sent in one request (and held while the server is away)
 * @param maxBatchBytes the most text sent in one request
 * @param maxLineBytes the longest line kept whole; longer lines are cut
 * @param grace how long a job's files are still read after it stopped running here
 * @param caCert a PEM file of the certificate authorities trusted for an https:// server instead of
 *     the JDK's (a private CA), or null for the JDK's
 */
public record AgentSettings(
    URI server,
    String node,
    String token,
    Path kernelLog,
    boolean jobOutput,
    Path stateDir,
    Duration pollInterval,
    Duration refreshInterval,
    int maxBatchLines,
    int maxBatchBytes,
    int maxLineBytes,
    Duration grace,
    Path caCert) {

  /** The real kernel log. */
  public static final Path KMSG = Path.of("/dev/kmsg");

  @Override
  public String toString() {
    return "AgentSettings[server="
        + server
        + ", node="
        + node
        + ", token=***, kernelLog="
        + kernelLog
        + ", jobOutput="
        + jobOutput
        + ", stateDir="
        + stateDir
        + (caCert == null ? "" : ", caCert=" + caCert)
        + "]";
  }
}
