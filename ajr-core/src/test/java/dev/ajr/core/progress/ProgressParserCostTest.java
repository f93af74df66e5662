package dev.ajr.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.testing.CountingText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every line a job prints passes through the progress parser, so a user's crafted line must not
 * cost it more than linear time: each expression is fed lines made of the pieces that would make
 * its attempts overlap, at 1 KiB and 4 KiB (the most it reads), and the characters it reads are
 * counted. Work, not wall time, is asserted.
 */
class ProgressParserCostTest {

  private static final String[] HOSTILE_UNITS = {
    "1",
    "1/1 [",
    "1/1 [a, ",
    "{'loss': 1,",
    "{'loss': 1, 'epoch': ",
    "resum",
    "resume ",
    "global step 1: ",
    "global step 1: saving model ",
    "iteration ",
    "iteration 1 / ",
    "step=1, ",
    "step ",
    "step = ",
    "iter ",
    "checkpoint-",
    "elapsed time per iteration (ms): ",
    " ",
  };

  @Test
  void everyExpressionReadsALineALinearNumberOfTimes() {
    List<String> failures = new ArrayList<>();
    for (Pattern pattern : ProgressParser.expressions()) {
      for (String unit : HOSTILE_UNITS) {
        long small = reads(pattern, CountingText.repeated(unit, 1024));
        long large = reads(pattern, CountingText.repeated(unit, ProgressParser.MAX_CHARS));
        // four times the line: linear work reads about four times as much, quadratic sixteen
        if (large > 6 * Math.max(small, 1024)) {
          failures.add(pattern + " on \"" + unit + "\"...: " + small + " -> " + large);
        }
      }
    }
    assertThat(failures).as("expressions whose work grows faster than the line").isEmpty();
  }

  @Test
  void aHugeHostileLineIsParsedOnItsBoundedPrefix() {
    StringBuilder line = new StringBuilder();
    while (line.length() < 1024 * 1024) {
      line.append("{'loss': 1, 1/1 [resum global step 1: ");
    }
    line.append("saving model to");
    // the checkpoint marker lies beyond the part that is read, so it is not seen
    assertThat(new ProgressParser().parse(line.toString()))
        .hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ProgressEvent.Kind.ITERATION));
  }

  private static long reads(Pattern pattern, String line) {
    CountingText text = new CountingText(line);
    pattern.matcher(text).find();
    return text.reads();
  }
}
