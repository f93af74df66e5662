package dev.ajr.server.ingest;

import dev.ajr.core.detect.Evidence;
import java.time.Instant;
import java.util.List;

/**
 * What a node agent sends to {@code POST /api/v1/agent/lines}: the new lines of the streams it
 * reads on its node, each stream in order.
 *
 * @param node the agent's node, as Slurm names it
 */
public record AgentBatch(String node, List<Stream> streams) {

  /**
   * New lines of one stream.
   *
   * @param stream the stream's name on the node: a file path, or the kernel log's source
   * @param kind JOB_OUTPUT for a job's output (untrusted), KERNEL_LOG for the node's kernel log
   * @param jobId the job a JOB_OUTPUT stream belongs to; 0 for the kernel log
   * @param attempt the attempt a job's file belongs to, or -1 for output shared by all attempts
   *     (standard output): the server decides
   * @param nodeLocal true when the file is on the node's own disk, so its lines are the node's
   * @param generation the stream's incarnation (a rewrite count, a boot id)
   */
  public record Stream(
      String stream,
      Evidence kind,
      long jobId,
      int attempt,
      boolean nodeLocal,
      String generation,
      List<Line> lines) {}

  /**
   * One line.
   *
   * @param position its place in the stream: a line number, a kernel sequence number; growing
   * @param writtenAt when it was written, as far as the agent can tell, or null
   * @param truncated whether the agent cut it to its line limit
   */
  public record Line(long position, String text, Instant writtenAt, boolean truncated) {}

  /** The server's answer: entries taken in now, and entries it had already. */
  public record Ack(int accepted, int duplicates) {}
}
