package dev.ajr.benchmarks;

import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The 128 ranks of a generated training job: 16 nodes of 8 GPUs, each node with a host name, an
 * address on the IB network and a process id per local rank, chosen from the seed.
 */
final class TrainingCluster {

  static final int NODES = 16;
  static final int GPUS_PER_NODE = 8;
  static final int RANKS = NODES * GPUS_PER_NODE;

  /** PCI bus ids of the eight GPUs of an HGX H100 board, by local rank. */
  private static final String[] BUS_IDS = {
    "18000", "2a000", "3a000", "5d000", "9a000", "ab000", "ba000", "db000"
  };

  private final String[] hosts = new String[NODES];
  private final String[] addresses = new String[NODES];
  private final int[] pids = new int[RANKS];

  TrainingCluster(SplittableRandom random) {
    TreeSet<Integer> numbers = new TreeSet<>();
    while (numbers.size() < NODES) {
      numbers.add(1 + random.nextInt(512));
    }
    int rack = 1 + random.nextInt(40);
    int subnet = random.nextInt(200);
    int node = 0;
    for (int n : numbers) {
      hosts[node] = "gpu-h100-" + LogFormat.zeros(n, 3);
      addresses[node] = "10." + subnet + "." + rack + "." + (10 + n % 240);
      int base = 100_000 + random.nextInt(3_000_000);
      for (int local = 0; local < GPUS_PER_NODE; local++) {
        pids[node * GPUS_PER_NODE + local] = base + local;
      }
      node++;
    }
  }

  String host(int rank) {
    return hosts[rank / GPUS_PER_NODE];
  }

  String address(int rank) {
    return addresses[rank / GPUS_PER_NODE];
  }

  int pid(int rank) {
    return pids[rank];
  }

  static int localRank(int rank) {
    return rank % GPUS_PER_NODE;
  }

  static int node(int rank) {
    return rank / GPUS_PER_NODE;
  }

  static String busId(int rank) {
    return BUS_IDS[localRank(rank)];
  }
}
