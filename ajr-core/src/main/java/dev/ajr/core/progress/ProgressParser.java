package dev.ajr.core.progress;

import dev.ajr.core.diagnosis.LineOrigin;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises progress lines of the common training stacks: Megatron-LM ({@code iteration 100/ 5000
 * | ... elapsed time per iteration (ms): 812.3}), NeMo and Lightning progress bars ({@code Epoch 0:
 * 10%|... | 100/1000 [00:10<01:30, 9.87it/s]}), Hugging Face Trainer ({@code {'loss': 2.31, ...,
 * 'epoch': 0.1}} and its bar), DeepSpeed ({@code [Rank 0] step=100, skipped=0, ...}), a generic
 * {@code step N} / {@code iteration N}, and checkpoint saved / loaded markers. Each pattern is
 * guarded by a cheap literal. Pure and thread-safe.
 *
 * <p>Cost contract: every line a job prints passes here; most hold none of the forms' literals and
 * cost a few scans for them. The others run expressions, each written so that its attempts cannot
 * overlap (no {@code .*} between two parts, no unbounded run that a later attempt would read
 * again): the work per line is linear in its length, and a line is read on its first {@value
 * #MAX_CHARS} characters only.
 */
public final class ProgressParser {

  /**
   * One form of progress line.
   *
   * @param literal lowercase text that every line of this form contains, in any case
   * @param lookBack when every match contains the literal: how far before it a match may start, so
   *     that the expression is only run from there; -1 to run it over the whole line
   */
  private record Form(String literal, int lookBack, Pattern pattern, ProgressEvent.Kind kind) {}

  private static final Pattern MEGATRON_TIME =
      Pattern.compile("elapsed time per iteration \\(ms\\):\\s*([0-9.]+)");
  // The bracket part cannot cross another bracket or comma, so attempts never overlap.
  private static final Pattern BAR_RATE =
      Pattern.compile("\\b(\\d+)/(\\d+) \\[[^\\],\\[]*,\\s*([0-9.]+)(it/s|s/it)");

  private static final List<Form> CHECKPOINTS =
      List.of(
          new Form(
              "checkpoint",
              19,
              Pattern.compile(
                  "(?i)(?:successfully saved checkpoint|saving model checkpoint to|saved"
                      + " checkpoint|checkpoint saved|saving checkpoint(?: at| to)?\\b)"),
              ProgressEvent.Kind.CHECKPOINT_SAVED),
          new Form(
              "checkpoint",
              27,
              Pattern.compile(
                  "(?i)(?:successfully loaded checkpoint|loaded checkpoint|loading checkpoint"
                      + "|restoring states from the checkpoint|continuing training from"
                      + " checkpoint|resum(?:e|ed|es|ing) (?:training )?from (?:the )?checkpoint)"),
              ProgressEvent.Kind.CHECKPOINT_LOADED),
          new Form(
              "saving model to",
              -1,
              // Lightning's ModelCheckpoint: "Epoch 3, global step 1200: 'val_loss' reached 2.1
              // (best 2.1), saving model to ...". The literal guard already asks for "saving model
              // to"; a ".*" between the two would make attempts overlap.
              Pattern.compile("global step \\d+: "),
              ProgressEvent.Kind.CHECKPOINT_SAVED));

  private static final List<Form> ITERATIONS =
      List.of(
          new Form(
              "iteration",
              0,
              Pattern.compile("\\biteration\\s+(\\d+)\\s*/\\s*\\d+\\s*\\|"),
              ProgressEvent.Kind.ITERATION),
          new Form(
              "step=",
              0,
              Pattern.compile("\\bstep=(\\d+),\\s*skipped=\\d+"),
              ProgressEvent.Kind.ITERATION),
          new Form("it/s", -1, BAR_RATE, ProgressEvent.Kind.ITERATION),
          new Form("s/it", -1, BAR_RATE, ProgressEvent.Kind.ITERATION),
          new Form(
              "'loss':",
              1,
              Pattern.compile("\\{'loss': [-0-9.e+naif]+,[^{}]*'epoch': [0-9.]+\\}"),
              ProgressEvent.Kind.ITERATION),
          new Form(
              "step",
              7,
              // not Slurm's "*** STEP 76.0 ON node1 CANCELLED ***"
              Pattern.compile("(?i)(?<!\\*\\*\\* )\\b(?:global[_ ])?step[ =:]+(\\d+)\\b(?!\\.\\d)"),
              ProgressEvent.Kind.ITERATION),
          new Form(
              "iter",
              0,
              Pattern.compile("(?i)\\biter(?:ation)?[ =:]+(\\d+)\\b"),
              ProgressEvent.Kind.ITERATION));

  static final int MAX_CHARS = 4096;

  public Optional<ProgressEvent> parse(String line) {
    if (line.length() > MAX_CHARS) {
      line = line.substring(0, MAX_CHARS);
    }
    // One lower-cased copy for all forms; the literals are looked for in it.
    String lower = line.toLowerCase(Locale.ROOT);
    for (Form form : CHECKPOINTS) {
      if (find(form, line, lower) != null) {
        return Optional.of(
            new ProgressEvent(form.kind(), checkpointIteration(line), Double.NaN, rank(line)));
      }
    }
    for (Form form : ITERATIONS) {
      Matcher m = find(form, line, lower);
      if (m == null) {
        continue;
      }
      long iteration = m.groupCount() >= 1 && m.group(1) != null ? parseLong(m.group(1)) : -1;
      return Optional.of(
          new ProgressEvent(ProgressEvent.Kind.ITERATION, iteration, secondsPer(line), rank(line)));
    }
    return Optional.empty();
  }

  /**
   * The first match of the form in the line, or null. The literal is looked for first; when every
   * match contains it, the expression runs only from just before its first occurrence (no match can
   * start earlier), with the text before still visible to word boundaries and lookbehind.
   */
  private static Matcher find(Form form, String line, String lower) {
    int at = lower.indexOf(form.literal());
    if (at < 0) {
      return null;
    }
    Matcher m = form.pattern().matcher(line);
    // lower-casing keeps positions unless a character became two (rare outside ASCII)
    if (form.lookBack() >= 0 && lower.length() == line.length()) {
      m.region(Math.max(0, at - form.lookBack()), line.length()).useTransparentBounds(true);
    }
    return m.find() ? m : null;
  }

  /**
   * The iteration a checkpoint line names: Megatron's {@code at iteration 4000} and {@code
   * iter_0004000}, Lightning's {@code global step 4000} and {@code step=4000}, DeepSpeed's {@code
   * global_step4000}, Hugging Face's {@code checkpoint-4000}; -1 when it names none.
   */
  private static long checkpointIteration(String line) {
    Matcher m = CHECKPOINT_ITERATION.matcher(line);
    return m.find() ? parseLong(m.group(1) != null ? m.group(1) : m.group(2)) : -1;
  }

  private static final Pattern CHECKPOINT_ITERATION =
      Pattern.compile(
          "(?i)\\b(?:iteration|global[_ ]?step|step)[ =:_]*(\\d+)\\b"
              + "|(?:\\bcheckpoint-|\\biter_)(\\d+)\\b");

  private static double secondsPer(String line) {
    if (line.contains("elapsed time per iteration")) {
      Matcher megatron = MEGATRON_TIME.matcher(line);
      if (megatron.find()) {
        return Double.parseDouble(megatron.group(1)) / 1000.0;
      }
    }
    if (!line.contains("it/s") && !line.contains("s/it")) {
      return Double.NaN;
    }
    Matcher bar = BAR_RATE.matcher(line);
    if (bar.find()) {
      double rate = Double.parseDouble(bar.group(3));
      if (rate > 0) {
        return bar.group(4).equals("it/s") ? 1.0 / rate : rate;
      }
    }
    return Double.NaN;
  }

  /** Every expression the parser runs, for tests of their cost. */
  static List<Pattern> expressions() {
    List<Pattern> all = new java.util.ArrayList<>();
    CHECKPOINTS.forEach(f -> all.add(f.pattern()));
    ITERATIONS.forEach(f -> all.add(f.pattern()));
    all.add(MEGATRON_TIME);
    all.add(CHECKPOINT_ITERATION);
    return all;
  }

  private static int rank(String line) {
    LineOrigin origin = LineOrigin.of(line);
    return origin.rank() == null ? -1 : origin.rank();
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
