package dev.ajr.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.benchmarks.RealisticTrainingLog.Kind;
import dev.ajr.core.detect.Detection;
import dev.ajr.core.diagnosis.RuleEngine;
import dev.ajr.server.rules.RuleCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RealisticTrainingLogTest {

  /** NCCL's own prefix, after whatever prefix the launcher puts in front. */
  private static final Pattern NCCL_INFO =
      Pattern.compile(
          "^(?:\\[rank\\d+\\]:|\\d+: |\\[default\\d\\]:|\\d+: \\[default\\d\\]:)?"
              + "gpu-h100-\\d{3}:\\d+:\\d+ \\[[0-7]\\] NCCL INFO \\S");

  @Test
  void theSameSeedGivesTheSameLinesAndAnotherSeedOthers() {
    List<String> first = RealisticTrainingLog.lines(20_000, 42);

    assertThat(RealisticTrainingLog.lines(20_000, 42)).isEqualTo(first);
    assertThat(RealisticTrainingLog.lines(20_000, 43)).isNotEqualTo(first);
    assertThat(new RealisticTrainingLog(42).finalFailure())
        .isEqualTo(new RealisticTrainingLog(42).finalFailure());
  }

  @Test
  void theBuiltInCatalogFindsNoFailureInTheLogButThePlantedOne() {
    RuleEngine engine = RuleCatalog.builtIn().engine();
    RealisticTrainingLog log = new RealisticTrainingLog(42);
    List<String> falsePositives = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      String line = log.next();
      Optional<Detection> detection = engine.classify(line);
      if (detection.isPresent() && falsePositives.size() < 50) {
        falsePositives.add(detection.get().ruleId() + " <= " + line);
      }
    }

    assertThat(falsePositives).as("failures found in harmless lines").isEmpty();
    assertThat(engine.classify(log.finalFailure()))
        .hasValueSatisfying(d -> assertThat(d.ruleId()).isEqualTo("crash.segfault"));
  }

  @Test
  void ncclChatterIsNearlyHalfOfTheStartUpThenProgressLeads() {
    RealisticTrainingLog log = new RealisticTrainingLog(7);
    int nccl = 0;
    for (int i = 0; i < RealisticTrainingLog.STARTUP_LINES; i++) {
      if (log.next().contains(" NCCL INFO ")) {
        nccl++;
      }
    }
    Map<Kind, Long> startup = log.composition();
    int training = 4 * RealisticTrainingLog.REINIT_EVERY;
    for (int i = 0; i < training; i++) {
      log.next();
    }
    Map<Kind, Long> after = log.composition();

    assertThat(share(nccl, RealisticTrainingLog.STARTUP_LINES)).isBetween(35.0, 50.0);
    assertThat(share(after.get(Kind.NCCL_INFO) - startup.get(Kind.NCCL_INFO), training))
        .isBetween(1.0, 8.0);
    assertThat(share(after.get(Kind.PROGRESS) - startup.get(Kind.PROGRESS), training))
        .isBetween(25.0, 35.0);
    assertThat(share(after.get(Kind.WARNING) - startup.get(Kind.WARNING), training))
        .isBetween(8.0, 13.0);
    assertThat(share(after.get(Kind.CHECKPOINT) - startup.get(Kind.CHECKPOINT), training))
        .isBetween(0.1, 2.0);
  }

  @Test
  void everyNcclLineHasNcclsOwnPrefixAndNoLineHoldsALineBreak() {
    List<String> lines = RealisticTrainingLog.lines(300_000, 11);
    List<String> unlike = new ArrayList<>();
    for (String line : lines) {
      if (line.contains("NCCL INFO") && !NCCL_INFO.matcher(line).find() && unlike.size() < 10) {
        unlike.add(line);
      }
    }

    assertThat(unlike).isEmpty();
    assertThat(lines).noneMatch(l -> l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0);
  }

  @Test
  void theLogHoldsTheLinesOfEveryStackAndLauncher() {
    String all = String.join("\n", RealisticTrainingLog.lines(300_000, 5));

    List<String> expected =
        List.of(
            // NCCL set-up
            "NCCL INFO NCCL version 2.",
            "NCCL INFO cudaDriverVersion",
            "NCCL INFO Bootstrap : Using ib0:10.",
            "NCCL INFO NCCL_IB_HCA set to mlx5",
            "NCCL INFO NET/IB : Using [0]mlx5_0:1/IB [1]mlx5_1:1/IB",
            "; OOB ib0:10.",
            "nRanks 128 nNodes 16 localRanks 8 localRank",
            " MNNVL 0",
            "- Init COMPLETE",
            "NCCL INFO Channel 00/32 :    ",
            "NCCL INFO Ring ",
            "NCCL INFO Trees [0] ",
            "via P2P/CUMEM/read",
            "[send] via NET/IB/",
            "NCCL INFO Connected all rings",
            // progress
            "elapsed time per iteration (ms):",
            "| lm loss: ",
            "| number of skipped iterations:   0 | number of nan iterations:   0 |",
            "reduced_train_loss=",
            "█",
            "▌",
            "] step=",
            ", skipped=0, lr=[",
            "{'loss': ",
            // warnings with their source line
            "/usr/local/lib/python3.10/dist-packages/torch/",
            ": UserWarning: ",
            ": FutureWarning: ",
            ": DeprecationWarning: ",
            "\n  warnings.warn(",
            // metrics named like errors
            "eval_error_rate=",
            "errors_total=0",
            "failed_samples=0",
            "fail_count=0",
            "validation loss",
            "mean_abs_error",
            // checkpoints
            "saving checkpoint at iteration",
            "successfully saved checkpoint from iteration",
            "'val_loss' reached",
            "saving model to '/lustre/",
            ".ckpt' as top 3",
            "[Torch] Checkpoint global_step",
            "is ready now!",
            // throughput and timers
            "TFLOP/s/GPU",
            "tokens/s",
            "samples/s",
            "MFU",
            "(min, max) time across ranks (ms):",
            "/lustre/fsw/",
            // launcher prefixes
            "\n[rank",
            "\n[default",
            "]:Epoch");

    assertThat(expected.stream().filter(e -> !all.contains(e)).toList()).isEmpty();
    assertThat(Pattern.compile("\n\\d{1,3}: \\S").matcher(all).find()).isTrue();
    assertThat(Pattern.compile("\n\\d{1,2}: \\[default\\d\\]:").matcher(all).find()).isTrue();
  }

  private static double share(long part, long whole) {
    return 100.0 * part / whole;
  }
}
