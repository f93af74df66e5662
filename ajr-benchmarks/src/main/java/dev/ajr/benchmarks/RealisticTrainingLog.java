package dev.ajr.benchmarks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The output of a healthy 128-rank training job (16 nodes × 8 GPUs), as its Slurm output file holds
 * it, for benchmarks: an endless, deterministic stream of lines (the same seed gives the same
 * lines) with no failure in it.
 *
 * <p>What it holds, by share of lines (see {@link Kind}): while the job starts (the first {@link
 * #STARTUP_LINES} lines) about 45% is {@code NCCL_DEBUG=INFO} chatter of the ranks setting up their
 * communicators, the rest launcher banners, warnings and the first iterations; then training, where
 * about 30% is progress (Megatron-LM iteration lines, NeMo/Lightning and Hugging Face tqdm bars
 * with block characters, DeepSpeed {@code step=} lines, Trainer dicts), about 10% Python and
 * PyTorch warnings with the source line under them, and the rest metrics and evaluation (names with
 * {@code error} and {@code fail} in them), throughput, MFU and timer lines, data and storage lines
 * with Lustre paths and now and then a checkpoint save. Every {@link #REINIT_EVERY} lines new
 * communicators are set up again (evaluation, a new process group): {@link #REINIT_LINES} lines in
 * which NCCL chatter is again about 45%. The launcher's prefix ({@code [rank12]:}, {@code srun
 * --label}'s {@code 12: }, torchrun's {@code [default3]:}, both, or none) changes every {@link
 * #SEGMENT_LINES} lines, each style once in five segments.
 *
 * <p>The templates follow what current releases of NCCL (2.21), PyTorch, Megatron-LM, NeMo,
 * DeepSpeed and Transformers print, checked against public issue threads and the harmless excerpts
 * of real logs ajr's rules are developed with. Not thread-safe.
 */
public final class RealisticTrainingLog {

  /** What a line is, for the composition. */
  public enum Kind {
    NCCL_INFO,
    PROGRESS,
    WARNING,
    METRICS,
    CHECKPOINT,
    THROUGHPUT,
    INFO
  }

  /** Lines of the job's start-up, where NCCL chatter is about 45%. */
  public static final int STARTUP_LINES = 40_000;

  /** Lines between two set-ups of new communicators after the start-up. */
  public static final int REINIT_EVERY = 200_000;

  /** Lines of such a set-up. */
  public static final int REINIT_LINES = 4_000;

  /** Lines written under one launcher prefix style. */
  public static final int SEGMENT_LINES = 65_536;

  /** Event weights per kind while communicators are set up. */
  private static final Map<Kind, Integer> SETUP_WEIGHTS = weights(450, 120, 80, 16, 0, 5, 180);

  /** Event weights per kind while training. */
  private static final Map<Kind, Integer> TRAINING_WEIGHTS = weights(30, 320, 53, 104, 1, 33, 190);

  private enum Launcher {
    NONE,
    PYTORCH,
    SRUN,
    TORCHRUN,
    SRUN_TORCHRUN
  }

  private final SplittableRandom random;
  private final TrainingCluster cluster;
  private final NcclInfoLines nccl;
  private final TrainingRunLines run;
  private final ArrayDeque<String> pending = new ArrayDeque<>();
  private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);
  private final Launcher[] launchers;
  private Launcher launcher;
  private long segment;
  private long produced;

  public RealisticTrainingLog(long seed) {
    this.random = new SplittableRandom(seed);
    this.cluster = new TrainingCluster(random);
    this.nccl = new NcclInfoLines(cluster, random);
    this.run = new TrainingRunLines(cluster, random, 1_795_000_000_000L + random.nextInt(1 << 30));
    List<Launcher> order = new ArrayList<>(List.of(Launcher.values()));
    Collections.shuffle(order, new Random(random.nextLong()));
    this.launchers = order.toArray(new Launcher[0]);
    this.launcher = launchers[0];
  }

  /** The first {@code count} lines of the stream of {@code seed}. */
  public static List<String> lines(int count, long seed) {
    RealisticTrainingLog log = new RealisticTrainingLog(seed);
    List<String> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      lines.add(log.next());
    }
    return lines;
  }

  /**
   * The failure a benchmark plants at the very end of the log: Slurm reporting that a rank died of
   * a segmentation fault, on one of the job's nodes.
   */
  public String finalFailure() {
    return "srun: error: " + cluster.host(37) + ": task 37: Segmentation fault (core dumped)";
  }

  /** The next line. */
  public String next() {
    if (pending.isEmpty()) {
      refill();
    }
    produced++;
    return pending.poll();
  }

  /** How many lines of each kind were produced so far (lines queued count as produced). */
  public Map<Kind, Long> composition() {
    Map<Kind, Long> out = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      out.put(k, counts.getOrDefault(k, 0L));
    }
    return out;
  }

  private void refill() {
    long segment = produced / SEGMENT_LINES;
    if (segment != this.segment) {
      this.segment = segment;
      launcher = launchers[(int) (segment % launchers.length)];
    }
    boolean startup = produced < STARTUP_LINES;
    boolean setup =
        startup || (produced - STARTUP_LINES) % REINIT_EVERY >= REINIT_EVERY - REINIT_LINES;
    Kind kind = pick(setup ? SETUP_WEIGHTS : TRAINING_WEIGHTS);
    TrainingRunLines.Event event =
        switch (kind) {
          case NCCL_INFO -> nccl.line(random);
          case PROGRESS -> run.progress(random);
          case WARNING -> {
            int rank = random.nextInt(TrainingCluster.RANKS);
            yield new TrainingRunLines.Event(
                rank, PythonWarnings.warning(random, rank, run.now(), startup));
          }
          case METRICS -> run.metrics(random);
          case CHECKPOINT -> run.checkpoint(random);
          case THROUGHPUT -> run.throughput(random);
          case INFO -> run.info(random, startup);
        };
    for (String line : event.lines()) {
      pending.add(prefixed(event.rank(), line));
    }
    counts.merge(kind, (long) event.lines().size(), Long::sum);
    run.advance(1 + random.nextInt(40));
  }

  private Kind pick(Map<Kind, Integer> weights) {
    int total = 0;
    for (int w : weights.values()) {
      total += w;
    }
    int at = random.nextInt(total);
    for (Map.Entry<Kind, Integer> e : weights.entrySet()) {
      at -= e.getValue();
      if (at < 0) {
        return e.getKey();
      }
    }
    return Kind.INFO;
  }

  /** Weights in the order NCCL_INFO, PROGRESS, WARNING, METRICS, CHECKPOINT, THROUGHPUT, INFO. */
  private static Map<Kind, Integer> weights(
      int nccl, int progress, int warning, int metrics, int checkpoint, int throughput, int info) {
    Map<Kind, Integer> w = new EnumMap<>(Kind.class);
    w.put(Kind.NCCL_INFO, nccl);
    w.put(Kind.PROGRESS, progress);
    w.put(Kind.WARNING, warning);
    w.put(Kind.METRICS, metrics);
    w.put(Kind.CHECKPOINT, checkpoint);
    w.put(Kind.THROUGHPUT, throughput);
    w.put(Kind.INFO, info);
    return w;
  }

  private String prefixed(int rank, String line) {
    return switch (launcher) {
      case NONE -> line;
      case PYTORCH -> line.startsWith("[rank") ? line : "[rank" + rank + "]:" + line;
      case SRUN -> rank + ": " + line;
      case TORCHRUN -> "[default" + TrainingCluster.localRank(rank) + "]:" + line;
      case SRUN_TORCHRUN ->
          TrainingCluster.node(rank) + ": [default" + TrainingCluster.localRank(rank) + "]:" + line;
    };
  }
}
