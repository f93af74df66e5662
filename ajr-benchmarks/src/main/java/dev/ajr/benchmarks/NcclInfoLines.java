package dev.ajr.benchmarks;

import java.util.SplittableRandom;

/**
 * {@code NCCL_DEBUG=INFO} chatter of a 128-rank job setting up its communicators, in NCCL's own
 * form ({@code host:pid:tid [gpu] NCCL INFO ...}): version and plugin lines, bootstrap and IB
 * device lines, the communicator's ranks, rings, trees and channels, and Init COMPLETE. Each line
 * comes from a random rank; the kinds come in about the proportions one communicator's set-up
 * prints them (mostly per-channel connection lines). All of it is harmless.
 */
final class NcclInfoLines {

  private static final int CHANNELS = 32;
  private static final String VERSION = "2.21.5+cuda12.4";

  private final TrainingCluster cluster;
  private final String[] rings = new String[CHANNELS];
  private final String[] trees = new String[TrainingCluster.RANKS];
  private final long commBase;
  private final long commId;

  NcclInfoLines(TrainingCluster cluster, SplittableRandom random) {
    this.cluster = cluster;
    this.commBase = 0x55d4_0000_0000L + (random.nextLong() & 0xffff_fff0L);
    this.commId = random.nextLong() & 0x7fff_ffff_ffff_ffffL;
    for (int c = 0; c < CHANNELS; c++) {
      rings[c] = ring(c, random);
    }
    for (int rank = 0; rank < TrainingCluster.RANKS; rank++) {
      trees[rank] = trees(rank);
    }
  }

  /** A ring through all 128 ranks, node by node, with the GPUs of a node in a channel's order. */
  private static String ring(int channel, SplittableRandom random) {
    StringBuilder b = new StringBuilder(8 + TrainingCluster.RANKS * 4);
    int[] local = {0, 1, 2, 3, 4, 5, 6, 7};
    for (int i = local.length - 1; i > 1; i--) { // 0 stays first, as in NCCL's rings
      int j = 1 + random.nextInt(i);
      int t = local[i];
      local[i] = local[j];
      local[j] = t;
    }
    int shift = channel % TrainingCluster.NODES;
    for (int n = 0; n < TrainingCluster.NODES; n++) {
      int node = (n + shift) % TrainingCluster.NODES;
      for (int l : local) {
        b.append(LogFormat.right(node * TrainingCluster.GPUS_PER_NODE + l, 4));
      }
    }
    return b.toString();
  }

  private static String trees(int rank) {
    StringBuilder b = new StringBuilder(32 * 22);
    int local = TrainingCluster.localRank(rank);
    for (int c = 0; c < CHANNELS; c++) {
      String down = local == 7 ? "-1" : Integer.toString(rank + 1);
      String up = local == 0 ? "-1" : Integer.toString(rank - 1);
      String net = "-1";
      if (local == 0 && c % 2 == 0) {
        int peerNode = (TrainingCluster.node(rank) + 1 + c / 2) % TrainingCluster.NODES;
        net = Integer.toString(peerNode * TrainingCluster.GPUS_PER_NODE);
      }
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append('[')
          .append(c)
          .append("] ")
          .append(down)
          .append('/')
          .append(net)
          .append("/-1->")
          .append(rank)
          .append("->")
          .append(up);
    }
    return b.toString();
  }

  /** One line of a random rank's communicator set-up, with that rank. */
  TrainingRunLines.Event line(SplittableRandom random) {
    int rank = random.nextInt(TrainingCluster.RANKS);
    return TrainingRunLines.Event.of(rank, text(random, rank));
  }

  private String text(SplittableRandom random, int rank) {
    int local = TrainingCluster.localRank(rank);
    boolean mainThread = random.nextInt(4) == 0;
    int pid = cluster.pid(rank);
    int tid = mainThread ? pid : pid + 1100 + local * 7 + random.nextInt(5);
    String prefix = cluster.host(rank) + ":" + pid + ":" + tid + " [" + local + "] NCCL INFO ";
    String comm = "comm 0x" + Long.toHexString(commBase + rank * 0x1a40L);
    int kind = random.nextInt(1000);
    int channel = random.nextInt(CHANNELS);
    String ch = LogFormat.zeros(channel, 2);
    if (kind < 420) {
      int next = local == 7 ? rank - 7 : rank + 1;
      return prefix
          + "Channel "
          + ch
          + "/0 : "
          + rank
          + "["
          + local
          + "] -> "
          + next
          + "["
          + TrainingCluster.localRank(next)
          + "] via P2P/CUMEM/read";
    }
    if (kind < 560) {
      boolean send = random.nextBoolean();
      int peer =
          Math.floorMod(
              rank + (send ? 1 : -1) * TrainingCluster.GPUS_PER_NODE, TrainingCluster.RANKS);
      return prefix
          + "Channel "
          + ch
          + "/"
          + (random.nextInt(3) == 0 ? "1" : "0")
          + " : "
          + (send ? rank : peer)
          + "["
          + TrainingCluster.localRank(send ? rank : peer)
          + "] -> "
          + (send ? peer : rank)
          + "["
          + TrainingCluster.localRank(send ? peer : rank)
          + "] ["
          + (send ? "send" : "receive")
          + "] via NET/IB/"
          + local
          + "/GDRDMA"
          + (random.nextInt(4) == 0 ? "/Shared" : "");
    }
    if (kind < 600) {
      return cluster.host(0)
          + ":"
          + cluster.pid(0)
          + ":"
          + (cluster.pid(0) + 1100)
          + " [0] NCCL INFO Channel "
          + ch
          + "/"
          + CHANNELS
          + " : "
          + rings[channel];
    }
    if (kind < 625) {
      int prev = Math.floorMod(rank - 1, TrainingCluster.RANKS);
      int next = (rank + 1) % TrainingCluster.RANKS;
      return prefix + "Ring " + ch + " : " + prev + " -> " + rank + " -> " + next;
    }
    if (kind < 640) {
      return prefix + "Trees " + trees[rank];
    }
    if (kind < 655) {
      return prefix + "P2P Chunksize set to 131072";
    }
    if (kind < 670) {
      return prefix
          + comm
          + " rank "
          + rank
          + " nRanks "
          + TrainingCluster.RANKS
          + " nNodes "
          + TrainingCluster.NODES
          + " localRanks 8 localRank "
          + local
          + " MNNVL 0";
    }
    if (kind < 690) {
      return prefix
          + "ncclCommInitRank "
          + comm
          + " rank "
          + rank
          + " nranks "
          + TrainingCluster.RANKS
          + " cudaDev "
          + local
          + " nvmlDev "
          + local
          + " busId "
          + TrainingCluster.busId(rank)
          + " commId 0x"
          + Long.toHexString(commId)
          + (random.nextInt(3) == 0 ? " - Init START" : " - Init COMPLETE");
    }
    if (kind < 705) {
      return prefix
          + "Init timings - ncclCommInitRank: rank "
          + rank
          + " nranks "
          + TrainingCluster.RANKS
          + " total "
          + LogFormat.fixed(1.2 + random.nextDouble() * 2, 2)
          + " (kernels "
          + LogFormat.fixed(0.2 + random.nextDouble() * 0.2, 2)
          + ", alloc 0.02, bootstrap "
          + LogFormat.fixed(0.5 + random.nextDouble(), 2)
          + ", allgathers 0.11, topo 0.24, graphs 0.03, connections "
          + LogFormat.fixed(0.1 + random.nextDouble() * 0.3, 2)
          + ", rest 0.04)";
    }
    if (kind < 720) {
      return prefix + (random.nextBoolean() ? "Connected all rings" : "Connected all trees");
    }
    if (kind < 730) {
      return prefix + "Connected NVLS tree";
    }
    if (kind < 745) {
      return prefix + "threadThresholds 8/8/64 | 1024/8/64 | 512 | 512";
    }
    if (kind < 760) {
      return prefix
          + "32 coll channels, 32 collnet channels, 16 nvls channels, 32 p2p channels, 32 p2p"
          + " channels per peer";
    }
    if (kind < 775) {
      return prefix + "Bootstrap : Using ib0:" + cluster.address(rank) + "<0>";
    }
    if (kind < 790) {
      return prefix
          + "NET/IB : Using [0]mlx5_0:1/IB [1]mlx5_1:1/IB [2]mlx5_2:1/IB [3]mlx5_3:1/IB"
          + " [4]mlx5_4:1/IB [5]mlx5_5:1/IB [6]mlx5_6:1/IB [7]mlx5_7:1/IB [RO]; OOB ib0:"
          + cluster.address(rank)
          + "<0>";
    }
    if (kind < 800) {
      return prefix + "cudaDriverVersion 12040";
    }
    if (kind < 810) {
      return prefix + "NCCL version " + VERSION;
    }
    if (kind < 820) {
      return prefix
          + (random.nextBoolean()
              ? "NCCL_IB_HCA set to mlx5"
              : "NCCL_IB_HCA set by environment to mlx5");
    }
    if (kind < 830) {
      return prefix + "NCCL_SOCKET_IFNAME set by environment to ib0";
    }
    if (kind < 840) {
      return prefix + "NET/Plugin: Could not find: libnccl-net.so. Using internal network plugin.";
    }
    if (kind < 850) {
      return prefix + "Using non-device net plugin version 0";
    }
    if (kind < 860) {
      return prefix + "Using network IB";
    }
    if (kind < 870) {
      return prefix
          + "Setting affinity for GPU "
          + local
          + " to ffffffff,00000000,ffffffff,00000000";
    }
    if (kind < 880) {
      return prefix + "NVLS multicast support is available on dev " + local;
    }
    if (kind < 890) {
      return prefix + "CC Off, Multi-GPU CC Off, workFifoBytes 1048576";
    }
    if (kind < 900) {
      return prefix + "Comm config Blocking set to 1";
    }
    if (kind < 910) {
      return prefix + "DMA-BUF is available on GPU device " + local;
    }
    if (kind < 920) {
      return prefix + "ncclCommInitRank " + comm + " - Init COMPLETE";
    }
    if (kind < 930) {
      return prefix
          + "[Proxy Service"
          + (random.nextBoolean() ? " UDS" : "")
          + "] Device "
          + local
          + " CPU core "
          + (local * 14 + random.nextInt(14));
    }
    if (kind < 940) {
      return prefix + "NCCL_P2P_LEVEL set by environment to NVL";
    }
    if (kind < 950) {
      return prefix
          + "TUNER/Plugin: Could not find: libnccl-tuner.so. Using internal tuner plugin.";
    }
    if (kind < 960) {
      return prefix + "Assigned NET plugin IB to comm";
    }
    if (kind < 970) {
      return prefix + "ENV/Plugin: Could not find: libnccl-env.so";
    }
    if (kind < 980) {
      return prefix
          + "Bootstrap timings total "
          + LogFormat.fixed(0.05 + random.nextDouble() * 0.5, 6)
          + " (create 0.000031, send 0.000412, recv "
          + LogFormat.fixed(0.01 + random.nextDouble() * 0.4, 6)
          + ", ring 0.002113, delay 0.000001)";
    }
    if (kind < 990) {
      return prefix + "NCCL_NVLS_ENABLE set by environment to 1.";
    }
    return "NCCL version " + VERSION;
  }
}
