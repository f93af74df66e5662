package dev.ajr.core.detect;

/**
 * The diagnosis vocabulary: the root causes of README.md's cause table, each with its default
 * action there. The API and {@code ajr classify} use these names.
 */
public enum Cause {
  GPU_HARDWARE,
  CUDA_ERROR,
  CRASH_SEGFAULT,
  NCCL_ERROR,
  NETWORK_INFINIBAND,
  OOM_GPU,
  OOM_HOST,
  STORAGE_IO,
  SLURM_SCHEDULER,
  PYTHON_USER_ERROR,
  TRAINING_DIVERGENCE,
  TORCH_DISTRIBUTED_ELASTIC,
  HANG,
  STRAGGLER,
  BENIGN
}
