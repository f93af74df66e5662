package dev.ajr.core.detect;

import java.util.List;

/**
 * Words for a person about a failure that points at a node: what kind of fault it is and which
 * device it names. Pure.
 */
public final class FaultWords {

  private FaultWords() {}

  /** The kind of fault a cause's node-level failure is, as in "GPU fault on node7". */
  public static String fault(Cause cause) {
    return switch (cause) {
      case GPU_HARDWARE -> "GPU fault";
      case CUDA_ERROR -> "GPU memory fault";
      case NETWORK_INFINIBAND -> "InfiniBand fault";
      case NCCL_ERROR -> "network fault reported by NCCL";
      case STORAGE_IO -> "storage client fault";
      case SLURM_SCHEDULER -> "node failure";
      default -> cause.name() + " fault";
    };
  }

  /**
   * The devices a failure of the cause names, as in "GPU 0000:3b:00" or "HCA 0000:61:00.0"; an
   * entry that already says what it is ({@code GPU 3}) is kept as it is.
   */
  public static String devices(Cause cause, List<String> devices) {
    String kind =
        switch (cause) {
          case GPU_HARDWARE, CUDA_ERROR -> "GPU ";
          case NETWORK_INFINIBAND -> "HCA ";
          default -> "device ";
        };
    StringBuilder words = new StringBuilder();
    for (String device : devices) {
      if (!words.isEmpty()) {
        words.append(", ");
      }
      words.append(device.startsWith("GPU ") ? "" : kind).append(device);
    }
    return words.toString();
  }
}
