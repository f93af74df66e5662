package dev.ajr.core.diagnosis;

/**
 * Where a line of interleaved multi-rank, multi-node output came from, read from the prefixes that
 * launchers, loggers and libraries put in front of it. Pure.
 *
 * <p>Prefixes read, one after another from the start of the line (a launcher's prefix in front of a
 * library's):
 *
 * <ul>
 *   <li>ranks: {@code [rank3]:} (PyTorch), {@code 3: } ({@code srun --label}), {@code
 *       [1,3]<stderr>:} (Open MPI {@code --tag-output}), {@code [default3]:} (torchrun {@code
 *       --tee}), {@code Rank3: };
 *   <li>hosts: NCCL's {@code host:pid:tid [gpu] }, {@code [host:pid]} and UCX's {@code
 *       [host:pid:thread]} (Open MPI, UCX), a torchrun template's {@code host:rank: }, pdsh's and
 *       DeepSpeed's {@code node017: } (a name with a digit; a launcher's IP address is passed
 *       over), {@code slurmstepd-host: }, and the host field of a syslog or journal line ({@code
 *       Nov 27 10:00:00 gpu-node-7 kernel: ...}, or {@code gpu-node-7 kernel: ...} without the
 *       timestamp);
 *   <li>passed over: kernel timestamps {@code [ 1234.5]} and {@code [Tue Nov 27 10:00:00 2024]}, a
 *       pid {@code [80746]}, ISO-8601 timestamps.
 * </ul>
 *
 * <p>When those name no host, NCCL's {@code host:pid:tid [gpu] } prefix is also looked for after an
 * unknown prefix. A line without a host prefix (a kernel line from {@code dmesg}, say) has no host:
 * the reader of the line may know it.
 *
 * <p>Cost: only the first {@value #PREFIX_WINDOW} characters are read, each a bounded number of
 * times, so a line of any length costs at most a fixed amount. A host is always a valid {@link
 * dev.ajr.core.detect.NodeNames node name}.
 *
 * @param rank the rank (or local rank) the prefix names, or null
 * @param host the host the prefix names, or null
 */
public record LineOrigin(Integer rank, String host) {

  /** How far into a line prefixes are looked for. */
  public static final int PREFIX_WINDOW = 512;

  public static final LineOrigin UNKNOWN = new LineOrigin(null, null);

  public static LineOrigin of(CharSequence line) {
    return new LinePrefixes(line, Math.min(line.length(), PREFIX_WINDOW)).origin();
  }
}
