package dev.ajr.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a healthy training run prints besides NCCL and warnings, from its state (iteration, loss,
 * learning rate, time): progress lines of Megatron-LM, NeMo/Lightning, DeepSpeed and the Hugging
 * Face Trainer; evaluation and metric lines (with names such as {@code eval_error_rate} and {@code
 * failed_samples}); checkpoint saves; throughput, MFU, memory and timer lines; and launcher, data
 * and storage lines with Lustre paths. Each method returns one event's lines and the rank that
 * prints them. Not thread-safe.
 */
final class TrainingRunLines {

  /** Lines one rank prints at once. */
  record Event(int rank, List<String> lines) {

    static Event of(int rank, String... lines) {
      return new Event(rank, List.of(lines));
    }
  }

  static final int TRAIN_ITERS = 500_000;
  private static final int LAST_RANK = TrainingCluster.RANKS - 1;
  private static final int GLOBAL_BATCH = 1024;
  private static final String[] BAR_EIGHTHS = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  private static final String[] TIMERS = {
    "forward-backward",
    "forward-compute",
    "backward-compute",
    "batch-generator",
    "layernorm-grads-all-reduce",
    "embedding-grads-all-reduce",
    "all-grads-sync",
    "params-all-gather",
    "optimizer-copy-to-main-grad",
    "optimizer-clip-main-grad",
    "optimizer-count-zeros",
    "optimizer-inner-step",
    "optimizer-copy-main-to-model-params",
    "optimizer"
  };

  private final TrainingCluster cluster;
  private final String run;
  private final String checkpoints;
  private final String data;
  private long iteration = 1;
  private long step = 1;
  private int epoch;
  private long epochMillis;

  TrainingRunLines(TrainingCluster cluster, SplittableRandom random, long startMillis) {
    this.cluster = cluster;
    String[] models = {"gpt3-175b", "llama3-70b", "nemotron-340b", "mixtral-8x22b"};
    this.run = models[random.nextInt(models.length)] + "-pretrain-" + (100 + random.nextInt(900));
    this.checkpoints = "/lustre/fsw/llm/" + run + "/checkpoints";
    this.data = "/lustre/fsw/llm/datasets/pile-dedup/tokenized";
    this.epochMillis = startMillis;
  }

  /** Moves the run's clock on. */
  void advance(long millis) {
    epochMillis += millis;
  }

  long now() {
    return epochMillis;
  }

  long iteration() {
    return iteration;
  }

  private double loss(SplittableRandom random) {
    return 1.9 + 8.5 * Math.exp(-iteration / 4000.0) + random.nextDouble() * 0.08;
  }

  private double learningRate() {
    double warm = Math.min(1.0, iteration / 2000.0);
    double progress = (double) iteration / TRAIN_ITERS;
    return 1.5e-4 * warm * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }

  /** One progress line of one of the four stacks; moves the iteration on. */
  Event progress(SplittableRandom random) {
    iteration = iteration % TRAIN_ITERS + 1;
    step++;
    int kind = random.nextInt(100);
    if (kind < 35) {
      return Event.of(LAST_RANK, megatronIteration(random));
    }
    if (kind < 55) {
      return Event.of(0, nemoBar(random));
    }
    if (kind < 75) {
      return Event.of(
          0,
          "["
              + LogFormat.loggingTime(epochMillis)
              + "] [INFO] [logging.py:128:log_dist] [Rank 0] step="
              + step
              + ", skipped=0, lr=["
              + LogFormat.fixed(learningRate(), 8)
              + "], mom=[(0.9, 0.95)]");
    }
    if (kind < 85) {
      return Event.of(
          0,
          "{'loss': "
              + LogFormat.fixed(loss(random), 4)
              + ", 'grad_norm': "
              + LogFormat.fixed(0.6 + random.nextDouble() * 0.5, 4)
              + ", 'learning_rate': "
              + LogFormat.sci(learningRate(), 4).replace("E-0", "e-0").replace("E-", "e-")
              + ", 'epoch': "
              + LogFormat.fixed(step / 10_000.0, 2)
              + "}");
    }
    if (kind < 92) {
      long total = 10_000;
      long done = step % total;
      return Event.of(
          0,
          LogFormat.right(done * 100 / total, 3)
              + "%|"
              + bar(done, total)
              + "| "
              + done
              + "/"
              + total
              + " ["
              + LogFormat.tqdmDuration(done * 3)
              + "<"
              + LogFormat.tqdmDuration((total - done) * 3)
              + ",  "
              + LogFormat.fixed(2.9 + random.nextDouble() * 0.4, 2)
              + "s/it]");
    }
    long total = 1000;
    long done = step % total;
    return Event.of(
        0,
        "Epoch "
            + epoch
            + ": "
            + LogFormat.right(done * 100 / total, 3)
            + "%|"
            + bar(done, total)
            + "| "
            + done
            + "/"
            + total
            + " ["
            + LogFormat.tqdmDuration(done * 3 / 4)
            + "<"
            + LogFormat.tqdmDuration((total - done) * 3 / 4)
            + ", "
            + LogFormat.fixed(1.2 + random.nextDouble() * 0.2, 2)
            + "it/s, loss="
            + LogFormat.fixed(loss(random), 3)
            + ", v_num=3]");
  }

  private String megatronIteration(SplittableRandom random) {
    boolean stamped = iteration % 3 != 0;
    return (stamped ? " [" + LogFormat.dateTime(epochMillis) + "]" : "")
        + " iteration "
        + LogFormat.right(iteration, 8)
        + "/"
        + LogFormat.right(TRAIN_ITERS, 8)
        + " | consumed samples: "
        + LogFormat.right(iteration * GLOBAL_BATCH, 12)
        + " | elapsed time per iteration (ms): "
        + LogFormat.fixed(3380 + random.nextDouble() * 90, 1)
        + (stamped
            ? " | throughput per GPU (TFLOP/s/GPU): "
                + LogFormat.fixed(405 + random.nextDouble() * 12, 1)
            : "")
        + " | learning rate: "
        + LogFormat.sci(learningRate())
        + " | global batch size: "
        + LogFormat.right(GLOBAL_BATCH, 5)
        + " | lm loss: "
        + LogFormat.sci(loss(random))
        + " | loss scale: "
        + (stamped ? "1.0" : "65536.0")
        + " | grad norm: "
        + LogFormat.fixed(0.6 + random.nextDouble() * 0.5, 3)
        + " | number of skipped iterations: "
        + LogFormat.right(0, 3)
        + " | number of nan iterations: "
        + LogFormat.right(0, 3)
        + " |";
  }

  private String nemoBar(SplittableRandom random) {
    long total = 5000;
    long done = iteration % total;
    if (done == 0) {
      epoch++;
    }
    return "Epoch "
        + epoch
        + ": : "
        + LogFormat.right(done * 100 / total, 3)
        + "%|"
        + bar(done, total)
        + "| "
        + done
        + "/"
        + total
        + " ["
        + LogFormat.tqdmDuration(done * 34 / 10)
        + "<"
        + LogFormat.tqdmDuration((total - done) * 34 / 10)
        + ", "
        + LogFormat.fixed(3.38 + random.nextDouble() * 0.09, 2)
        + "s/it, v_num=k3x9, reduced_train_loss="
        + LogFormat.fixed(loss(random), 3)
        + ", global_step="
        + (iteration - 1)
        + ".0, consumed_samples="
        + LogFormat.sci(iteration * (double) GLOBAL_BATCH, 2).replace("E", "e")
        + ", train_step_timing in s="
        + LogFormat.fixed(3.38 + random.nextDouble() * 0.09, 2)
        + "]";
  }

  /** A tqdm bar of ten cells: full blocks, one partial block, spaces. */
  private static String bar(long done, long total) {
    long eighths = done * 80 / Math.max(1, total);
    StringBuilder b = new StringBuilder(12);
    b.append("█".repeat((int) (eighths / 8)));
    if (eighths < 80) {
      b.append(BAR_EIGHTHS[(int) (eighths % 8)]);
    }
    while (b.codePointCount(0, b.length()) < 10) {
      b.append(' ');
    }
    return b.toString();
  }

  /** An evaluation or metric line whose names hold error and fail words, all zero or small. */
  Event metrics(SplittableRandom random) {
    double val = loss(random) - 0.02;
    int rank = random.nextInt(TrainingCluster.RANKS);
    return switch (random.nextInt(8)) {
      case 0 ->
          new Event(
              LAST_RANK,
              List.of(
                  "-".repeat(99),
                  " validation loss at iteration "
                      + LogFormat.right(iteration, 7)
                      + " | lm loss value: "
                      + LogFormat.sci(val)
                      + " | lm loss PPL: "
                      + LogFormat.sci(Math.exp(val))
                      + " | ",
                  "-".repeat(99)));
      case 1 ->
          Event.of(
              0,
              "{'eval_loss': "
                  + LogFormat.fixed(val, 4)
                  + ", 'eval_mean_abs_error': "
                  + LogFormat.fixed(0.38 + random.nextDouble() * 0.05, 4)
                  + ", 'eval_error_rate': "
                  + LogFormat.fixed(0.011 + random.nextDouble() * 0.004, 4)
                  + ", 'eval_runtime': "
                  + LogFormat.fixed(40 + random.nextDouble() * 3, 2)
                  + ", 'eval_samples_per_second': "
                  + LogFormat.fixed(305 + random.nextDouble() * 10, 2)
                  + ", 'eval_steps_per_second': 2.427, 'epoch': "
                  + LogFormat.fixed(step / 10_000.0, 2)
                  + "}");
      case 2 ->
          Event.of(
              0,
              "[eval] step="
                  + step
                  + " eval_error_rate="
                  + LogFormat.fixed(0.011 + random.nextDouble() * 0.004, 3)
                  + " errors_total=0 failed_samples=0 fail_count=0 mean_abs_error="
                  + LogFormat.fixed(0.38 + random.nextDouble() * 0.05, 3)
                  + " validation loss="
                  + LogFormat.fixed(val, 3));
      case 3 ->
          Event.of(
              0,
              "Validation DataLoader 0: 100%|██████████| 40/40 [00:12<00:00,  "
                  + LogFormat.fixed(3.1 + random.nextDouble() * 0.2, 2)
                  + "it/s]");
      case 4 ->
          Event.of(
              rank,
              "data: rank "
                  + rank
                  + " read shard "
                  + data
                  + "/train-"
                  + LogFormat.zeros(random.nextInt(2048), 5)
                  + "-of-02048.bin: skipped 0 corrupt samples, decode_errors=0, failed_samples=0");
      case 5 ->
          Event.of(
              0,
              "Epoch: "
                  + epoch
                  + ", lr: "
                  + LogFormat.sci(learningRate(), 2).replace("E", "e")
                  + " - train loss: "
                  + LogFormat.fixed(val + 0.03, 2)
                  + " - valid loss: "
                  + LogFormat.fixed(val, 2)
                  + ", valid error: "
                  + LogFormat.sci(0.01 + random.nextDouble() * 0.01, 2).replace("E", "e"));
      case 6 ->
          Event.of(
              0,
              "[metrics] iteration="
                  + iteration
                  + " train/grad_norm="
                  + LogFormat.fixed(0.6 + random.nextDouble() * 0.5, 3)
                  + " train/loss_scale=1.0 eval/error_rate="
                  + LogFormat.fixed(0.011 + random.nextDouble() * 0.004, 4)
                  + " eval/fail_count=0 data/failed_reads=0 data/retry_count="
                  + random.nextInt(3));
      default ->
          Event.of(
              0,
              "wandb: Logged step "
                  + step
                  + ": val/mean_abs_error="
                  + LogFormat.fixed(0.38 + random.nextDouble() * 0.05, 4)
                  + ", val/max_abs_error="
                  + LogFormat.fixed(1.7 + random.nextDouble() * 0.4, 3)
                  + ", val/error_count=0");
    };
  }

  /** A checkpoint save of one of the four stacks. */
  Event checkpoint(SplittableRandom random) {
    String ts = "[" + LogFormat.loggingTime(epochMillis) + "]";
    return switch (random.nextInt(5)) {
      case 0 ->
          new Event(
              0,
              List.of(
                  "saving checkpoint at iteration "
                      + LogFormat.right(iteration, 7)
                      + " to "
                      + checkpoints
                      + " in torch_dist format",
                  "  successfully saved checkpoint from iteration "
                      + LogFormat.right(iteration, 7)
                      + " to "
                      + checkpoints
                      + " [ t 1/8, p 1/4 ]"));
      case 1 -> {
        double val = loss(random) - 0.02;
        yield Event.of(
            0,
            "Epoch "
                + epoch
                + ", global step "
                + step
                + ": 'val_loss' reached "
                + LogFormat.fixed(val, 5)
                + " (best "
                + LogFormat.fixed(val, 5)
                + "), saving model to '"
                + checkpoints
                + "/epoch="
                + epoch
                + "-step="
                + step
                + ".ckpt' as top 3");
      }
      case 2 -> {
        String dir = checkpoints + "/global_step" + step;
        List<String> lines = new ArrayList<>();
        lines.add(
            ts
                + " [INFO] [logging.py:128:log_dist] [Rank 0] [Torch] Checkpoint global_step"
                + step
                + " is about to be saved!");
        lines.add(
            ts
                + " [INFO] [logging.py:128:log_dist] [Rank 0] Saving model checkpoint: "
                + dir
                + "/mp_rank_00_model_states.pt");
        lines.add(
            ts
                + " [INFO] [torch_checkpoint_engine.py:21:save] [Torch] Saving "
                + dir
                + "/mp_rank_00_model_states.pt...");
        for (int r = 0; r < 8; r++) {
          lines.add(
              ts
                  + " [INFO] [engine.py:3591:_save_zero_checkpoint] zero checkpoint saved "
                  + dir
                  + "/bf16_zero_pp_rank_"
                  + (random.nextInt(16) * 8 + r)
                  + "_mp_rank_00_optim_states.pt");
        }
        lines.add(
            ts
                + " [INFO] [torch_checkpoint_engine.py:33:commit] [Torch] Checkpoint global_step"
                + step
                + " is ready now!");
        yield new Event(0, lines);
      }
      case 3 -> {
        String dir = checkpoints + "/checkpoint-" + step;
        yield new Event(
            0,
            List.of(
                "Saving model checkpoint to " + dir,
                "Configuration saved in " + dir + "/config.json",
                "Model weights saved in " + dir + "/model.safetensors"));
      }
      default ->
          Event.of(
              0,
              "[NeMo I "
                  + LogFormat.dateTime(epochMillis)
                  + " nemo_model_checkpoint:497] Async checkpoint save for step "
                  + step
                  + " ("
                  + checkpoints
                  + "/megatron_gpt--val_loss="
                  + LogFormat.fixed(loss(random), 2)
                  + "-step="
                  + step
                  + "-consumed_samples="
                  + iteration * GLOBAL_BATCH
                  + ".0.ckpt) finalized successfully.");
    };
  }

  /** Throughput, MFU, memory or Megatron's timers after an iteration. */
  Event throughput(SplittableRandom random) {
    int kind = random.nextInt(10);
    if (kind < 4) {
      List<String> lines = new ArrayList<>(TIMERS.length + 1);
      lines.add("(min, max) time across ranks (ms):");
      for (String timer : TIMERS) {
        double min =
            timer.startsWith("forward-backward")
                ? 3300 + random.nextDouble() * 100
                : random.nextDouble() * 40;
        lines.add(
            "    "
                + timer
                + " "
                + ".".repeat(Math.max(3, 48 - timer.length()))
                + ": ("
                + LogFormat.fixed(min, 2)
                + ", "
                + LogFormat.fixed(min * (1 + random.nextDouble() * 0.05), 2)
                + ")");
      }
      return new Event(0, lines);
    }
    double tflops = 405 + random.nextDouble() * 12;
    return switch (kind) {
      case 4, 5 ->
          Event.of(
              0,
              "step "
                  + step
                  + " | tokens/s: "
                  + LogFormat.fixed(tflops * 3010, 0)
                  + " | tokens/s/GPU: "
                  + LogFormat.fixed(tflops * 3010 / TrainingCluster.RANKS, 1)
                  + " | samples/s: "
                  + LogFormat.fixed(tflops * 0.735, 1)
                  + " | MFU: "
                  + LogFormat.fixed(tflops / 989.5 * 100, 1)
                  + "% | TFLOP/s/GPU: "
                  + LogFormat.fixed(tflops, 1));
      case 6 ->
          Event.of(
              0,
              "["
                  + LogFormat.loggingTime(epochMillis)
                  + "] [INFO] [timer.py:264:stop] epoch=0/micro_step="
                  + step * 2
                  + "/global_step="
                  + step
                  + ", RunningAvgSamplesPerSec="
                  + LogFormat.fixed(tflops * 0.735, 2)
                  + ", CurrSamplesPerSec="
                  + LogFormat.fixed(tflops * 0.73, 2)
                  + ", MemAllocated=21.4GB, MaxMemAllocated=61.2GB");
      case 7 ->
          Event.of(
              LAST_RANK,
              "[Rank "
                  + LAST_RANK
                  + "] (after "
                  + iteration
                  + " iterations) memory (MB) | allocated: "
                  + LogFormat.fixed(21000 + random.nextDouble() * 800, 1)
                  + " | max allocated: "
                  + LogFormat.fixed(61000 + random.nextDouble() * 800, 1)
                  + " | reserved: 64012.0 | max reserved: 64012.0");
      case 8 ->
          Event.of(
              0,
              "throughput: "
                  + LogFormat.fixed(tflops, 1)
                  + " TFLOP/s/GPU, "
                  + LogFormat.fixed(tflops * 23.5, 1)
                  + " tokens/s/GPU, MFU "
                  + LogFormat.fixed(tflops / 989.5 * 100, 1)
                  + "%");
      default ->
          Event.of(
              0,
              "{'train_runtime': "
                  + LogFormat.fixed(epochMillis % 100_000_000 / 1000.0, 4)
                  + ", 'train_samples_per_second': "
                  + LogFormat.fixed(tflops * 0.735, 3)
                  + ", 'train_steps_per_second': 0.303, 'total_flos': 1.2734e+21, 'train_loss': "
                  + LogFormat.fixed(loss(random), 4)
                  + ", 'epoch': "
                  + LogFormat.fixed(step / 10_000.0, 2)
                  + "}");
    };
  }

  /**
   * A launcher, set-up, data or storage line.
   *
   * @param startup whether training is still starting (launcher banners, dataset building, the
   *     loss-scale calibration of mixed precision)
   */
  Event info(SplittableRandom random, boolean startup) {
    int rank = random.nextInt(TrainingCluster.RANKS);
    int local = TrainingCluster.localRank(rank);
    if (startup) {
      return startupInfo(random, rank, local);
    }
    return switch (random.nextInt(8)) {
      case 0, 1, 2 ->
          Event.of(
              rank,
              "data: rank "
                  + rank
                  + " opened "
                  + data
                  + "/train-"
                  + LogFormat.zeros(random.nextInt(2048), 5)
                  + "-of-02048.bin ("
                  + LogFormat.fixed(1 + random.nextDouble(), 2)
                  + " GiB, stripe count 8, OST 0x"
                  + Integer.toHexString(random.nextInt(64))
                  + ")");
      case 3 ->
          Event.of(
              0,
              "[NeMo I "
                  + LogFormat.dateTime(epochMillis)
                  + " nemo_logging:381] Logging to /lustre/fsw/llm/"
                  + run
                  + "/results/nemo_log_globalrank-0_localrank-0.txt");
      case 4 ->
          Event.of(
              0,
              "["
                  + LogFormat.loggingTime(epochMillis)
                  + "] [INFO] [logging.py:128:log_dist] [Rank 0] Data loader: "
                  + TrainingCluster.RANKS
                  + " ranks, prefetch factor 2, pinned memory True, workers 8, epoch "
                  + epoch);
      default ->
          Event.of(
              rank,
              "profiler: rank "
                  + rank
                  + " on "
                  + cluster.host(rank)
                  + " GPU "
                  + local
                  + " temp "
                  + (58 + random.nextInt(14))
                  + "C power "
                  + (610 + random.nextInt(90))
                  + "W sm_clock 1980MHz mem_used "
                  + (61000 + random.nextInt(800))
                  + "MiB");
    };
  }

  private Event startupInfo(SplittableRandom random, int rank, int local) {
    return switch (random.nextInt(12)) {
      case 0 ->
          new Event(
              0,
              List.of(
                  "*****************************************",
                  "Setting OMP_NUM_THREADS environment variable for each process to be 1 in"
                      + " default, to avoid your system being overloaded, please further tune the"
                      + " variable for optimal performance in your application as needed.",
                  "*****************************************"));
      case 1 ->
          Event.of(
              rank,
              "["
                  + LogFormat.loggingTime(epochMillis)
                  + "] [INFO] [real_accelerator.py:219:get_accelerator] Setting ds_accelerator"
                  + " to cuda (auto detect)");
      case 2 ->
          Event.of(
              rank,
              "Initializing distributed: GLOBAL_RANK: "
                  + rank
                  + ", MEMBER: "
                  + (rank + 1)
                  + "/"
                  + TrainingCluster.RANKS);
      case 3 ->
          Event.of(rank, "LOCAL_RANK: " + local + " - CUDA_VISIBLE_DEVICES: [0,1,2,3,4,5,6,7]");
      case 4 ->
          Event.of(
              rank,
              "[rank"
                  + rank
                  + "]:[I"
                  + LogFormat.glogTime(epochMillis, random.nextInt(1000))
                  + " ProcessGroupNCCL.cpp:852] [PG 0 Rank "
                  + rank
                  + "] ProcessGroupNCCL initialization options: size: "
                  + TrainingCluster.RANKS
                  + ", global rank: "
                  + rank
                  + ", TIMEOUT(ms): 600000, USE_HIGH_PRIORITY_STREAM: 0, SPLIT_FROM: 0,"
                  + " SPLIT_COLOR: 0, PG Name: 0");
      case 5 ->
          Event.of(
              0,
              "INFO:megatron.core.datasets.indexed_dataset:Load the IndexedDataset from "
                  + data
                  + "/pile_text_document_"
                  + LogFormat.zeros(random.nextInt(30), 2)
                  + ".idx");
      case 6 ->
          Event.of(
              0,
              " > loading blendable dataset index: "
                  + data
                  + "/index-cache/"
                  + Long.toHexString(random.nextLong())
                  + "-BlendedDataset-train-dataset_index.npy");
      case 7 ->
          Event.of(
              0,
              "["
                  + LogFormat.loggingTime(epochMillis)
                  + "] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0"
                  + " Skipping step. Attempted loss scale: 65536, reducing to 32768");
      case 8 ->
          Event.of(
              0,
              "[NeMo I "
                  + LogFormat.dateTime(epochMillis)
                  + " exp_manager:394] Experiments will be logged at /lustre/fsw/llm/"
                  + run
                  + "/results");
      case 9 ->
          Event.of(
              rank,
              "> initialized tensor model parallel with size 8, pipeline model parallel with"
                  + " size 4, rank "
                  + rank
                  + " on "
                  + cluster.host(rank));
      case 10 ->
          Event.of(0, "[after dataloaders are built] datetime: " + LogFormat.dateTime(epochMillis));
      default ->
          Event.of(
              0,
              "wandb: \uD83D\uDE80 View run " + run + " at https://wandb.example.org/llm/" + run);
    };
  }
}
