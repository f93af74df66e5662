package dev.ajr.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Realistic lines of a distributed training job's output, in realistic proportions: mostly progress
 * lines and NCCL/INFO chatter from many ranks, some warnings, and a rare failure. The same seed
 * gives the same lines.
 */
public final class TrainingLog {

  private static final String[] ORDINARY = {
    " iteration     %d/  500000 | consumed samples:     %d | elapsed time per iteration (ms):"
        + " 812.%d | learning rate: 1.499E-04 | global batch size:  1024 | lm loss: 2.31%dE+00 |"
        + " loss scale: 65536.0 | grad norm: 0.8%d | number of skipped iterations:   0 | number of"
        + " nan iterations:   0 |",
    "[rank%d]:[W%d 10:21:33.123] Warning: torch.distributed._all_gather_base is a private"
        + " function and will be deprecated (function operator())",
    "gpu-node-%d:%d:%d [%d] NCCL INFO Channel 0%d/32 : 0[0] -> 1[1] via P2P/CUMEM/read",
    "Epoch 0: :  %d%%|####      | %d/10000 [12:03<08:10, 8.1%dit/s, v_num=0,"
        + " reduced_train_loss=2.3%d, global_step=%d.0, consumed_samples=4096.0]",
    "[2026-11-27 10:00:%d,123] [INFO] [logging.py:96:log_dist] [Rank %d] step=%d, skipped=0,"
        + " lr=[0.00014999], mom=[(0.9, 0.95)]",
    "{'loss': 2.31%d, 'grad_norm': 0.87%d, 'learning_rate': 4.9e-05, 'epoch': 0.0%d}",
    "[rank%d]: validation loss at iteration %d | lm loss value: 2.29%d | lm loss PPL: 9.9%d |",
    "%d: INFO:megatron.core.utils:time to initialize %d ms (rank %d)",
  };

  private static final String[] RARE = {
    "[rank%d]:[E%d 02:07:08.408271257 ProcessGroupNCCL.cpp:607] [Rank %d] Watchdog caught"
        + " collective operation timeout: WorkNCCL(SeqNum=1580, OpType=ALLREDUCE) ran for"
        + " 600060 milliseconds before timing out.",
    "NVRM: Xid (PCI:0000:%d:00): 79, pid=%d, GPU has fallen off the bus.",
    "[rank%d]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU %d"
        + " has a total capacity of 79.%d GiB",
  };

  private TrainingLog() {}

  /** {@code count} lines; about one in {@code rareEvery} is a failure line. */
  public static List<String> lines(int count, int rareEvery, long seed) {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String[] pool = random.nextInt(rareEvery) == 0 ? RARE : ORDINARY;
      String template = pool[random.nextInt(pool.length)];
      Object[] args = new Object[8];
      for (int a = 0; a < args.length; a++) {
        args[a] = random.nextInt(1000);
      }
      lines.add(String.format(template, args));
    }
    return lines;
  }
}
