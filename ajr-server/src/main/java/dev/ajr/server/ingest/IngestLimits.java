package dev.ajr.server.ingest;

/**
 * How much the log-sending requests (node agents, Loki pushes) may hold and send before the server
 * pushes back ({@link IngestAdmission}).
 *
 * <p>A request holds its body as received and, when the body is compressed, what it decompresses
 * to, from the moment it is read until the request is answered.
 *
 * @param maxInFlightBytes the most bytes all requests hold at once
 * @param maxInFlightBytesPerSource the most bytes the requests of one source hold at once; also the
 *     most a source may send in one burst
 * @param bytesPerSecondPerSource the average rate of one source's request bodies, as received
 */
public record IngestLimits(
    long maxInFlightBytes, long maxInFlightBytesPerSource, long bytesPerSecondPerSource) {

  private static final long MIB = 1024 * 1024;

  /**
   * Room for two of the largest pushes (32 MiB that decompress to 32 MiB) at once, one per source,
   * and 16 MiB/s per source: far above what a node's agent or shipper sends, so only a flood is
   * refused.
   */
  public static final IngestLimits DEFAULTS = new IngestLimits(128 * MIB, 64 * MIB, 16 * MIB);

  public IngestLimits {
    if (maxInFlightBytes < 1 || maxInFlightBytesPerSource < 1 || bytesPerSecondPerSource < 1) {
      throw new IllegalArgumentException("ingest limits must be positive: " + this);
    }
  }
}
