package dev.ajr.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.progress.ProgressEvent.Kind;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProgressParserTest {

  private final ProgressParser parser = new ProgressParser();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // Megatron-LM
        "\" iteration      100/  500000 | consumed samples:        51200 | elapsed time per"
            + " iteration (ms): 1234.5 | learning rate: 1.000E-04 | lm loss: 7.523E+00 |\""
            + " | 100 | 1.2345",
        // NeMo / Lightning progress bar
        "\"Epoch 0: :  10%|#         | 100/1000 [00:52<07:48, 2.00it/s, v_num=0,"
            + " reduced_train_loss=5.21, global_step=99.0]\" | 100 | 0.5",
        // Hugging Face Trainer progress bar
        "\" 12%|#1        | 120/1000 [01:02<07:35,  4.00s/it]\" | 120 | 4.0",
        // DeepSpeed
        "\"[2024-05-01 10:00:00,123] [INFO] [logging.py:96:log_dist] [Rank 0] step=100,"
            + " skipped=0, lr=[0.0001], mom=[(0.9, 0.95)]\" | 100 | NaN",
        // generic
        "\"step 1200 | loss: 0.53 | lr 3e-4\" | 1200 | NaN",
        "\"[rank3]: global_step=42 loss=1.1\" | 42 | NaN",
        "Iteration: 7 loss 2.0 | 7 | NaN",
      })
  void readsIterationLines(String line, long iteration, double secondsPerIteration) {
    Optional<ProgressEvent> event = parser.parse(line);

    assertThat(event).isPresent();
    assertThat(event.get().kind()).isEqualTo(Kind.ITERATION);
    assertThat(event.get().iteration()).isEqualTo(iteration);
    if (Double.isNaN(secondsPerIteration)) {
      assertThat(event.get().secondsPerIteration()).isNaN();
    } else {
      assertThat(event.get().secondsPerIteration()).isCloseTo(secondsPerIteration, within());
    }
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-6);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'loss': 2.3105, 'grad_norm': 1.52, 'learning_rate': 4.9e-05, 'epoch': 0.02}",
      })
  void readsHuggingFaceLogDictionaryAsProgressWithoutNumber(String line) {
    assertThat(parser.parse(line))
        .hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(Kind.ITERATION));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "  successfully saved checkpoint from iteration     4000 to /checkpoints/gpt | 4000",
        "saving checkpoint at iteration     100 to /checkpoints/gpt/iter_0000100 | 100",
        "Saving model checkpoint to /out/checkpoint-500 | 500",
        "Epoch 0, global step 700: 'val_loss' reached 2.3 (best 2.3), saving model to"
            + " '/ckpt/epoch=0-step=700.ckpt' as top 1 | 700",
        "[Rank 0] Saved checkpoint to /ckpt/global_step100 | 100",
        "checkpoint saved | -1",
        " successfully loaded checkpoint from /checkpoints/gpt [ t 0, p 0 ] at iteration 2000 | 2000",
        "Continuing training from checkpoint, will skip to saved global_step | -1",
      })
  void aCheckpointLineCarriesTheIterationItNames(String line, long iteration) {
    assertThat(parser.parse(line))
        .hasValueSatisfying(e -> assertThat(e.iteration()).isEqualTo(iteration));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "  successfully saved checkpoint from iteration     100 to /checkpoints/gpt",
        "saving checkpoint at iteration     100 to /checkpoints/gpt",
        "Saving model checkpoint to /out/checkpoint-500",
        "Epoch 0, global step 500: 'val_loss' reached 2.31000 (best 2.31000), saving model to"
            + " '/ckpt/epoch=0-step=500.ckpt' as top 1",
        "[Rank 0] Saved checkpoint to /ckpt/global_step100",
      })
  void readsCheckpointSaves(String line) {
    assertThat(parser.parse(line))
        .hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(Kind.CHECKPOINT_SAVED));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        " successfully loaded checkpoint from /checkpoints/gpt [ t 0, p 0 ] at iteration 2000",
        "Restoring states from the checkpoint path at /ckpt/last.ckpt",
        "Continuing training from checkpoint, will skip to saved global_step",
        "Loading checkpoint shards: 100%",
      })
  void readsCheckpointLoads(String line) {
    assertThat(parser.parse(line))
        .hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(Kind.CHECKPOINT_LOADED));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "slurmstepd-node1: error: *** STEP 76.0 ON node1 CANCELLED AT 2026-11-27T13:04:08 ***",
        "Sleeping 30 seconds",
        "node1:1234:1234 [0] NCCL INFO Bootstrap : Using eth0:10.0.0.1<0>",
        "Rank0: (1) segmentation fault: artificial segfault",
        "for step in range(10):",
        "",
      })
  void ignoresOtherLines(String line) {
    assertThat(parser.parse(line)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void attributesTheRankFromThePrefix() {
    assertThat(parser.parse("[rank5]: step 10 loss 1.0"))
        .hasValueSatisfying(e -> assertThat(e.rank()).isEqualTo(5));
  }
}
