package dev.ajr.benchmarks;

import dev.ajr.server.logs.LogSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The worst output a job's program can print, as the writes it makes, for the hostile job of {@link
 * IngestLatency}: an endless, deterministic stream of writes (the same seed gives the same writes).
 *
 * <p>The lines of {@link PathologicalTrainingLog}, each with its newline in one write: in each of
 * its cycles of {@link PathologicalTrainingLog#CYCLE} lines one of {@link
 * PathologicalTrainingLog#LONG_LINE} characters (longer than any reader keeps of a line), {@link
 * PathologicalTrainingLog#SHORT_PER_CYCLE} of {@link PathologicalTrainingLog#SHORT_LINE} characters
 * (a phrase the rules look for, repeated so that backtracking regular expressions go quadratic) and
 * realistic lines for the rest. In each such cycle also, one of each:
 *
 * <ul>
 *   <li>a line of exactly {@link #AT_LIMIT} bytes, one of those phrases repeated: the longest line
 *       the follower keeps whole ({@code logs.max-line-bytes} by default);
 *   <li>a progress bar as tqdm draws it into a file: {@link #BAR_UPDATES} writes, each a carriage
 *       return and the bar without a newline, the last one ending the line; a line of about 90 KB
 *       with carriage returns inside, which the follower cuts;
 *   <li>{@link #BINARY_BYTES} random bytes in one write: NUL and other control characters, bytes
 *       that are no UTF-8, a newline by chance about every 256 bytes;
 *   <li>{@link #TINY_LINES} lines of one character in one write.
 * </ul>
 *
 * <p>A cycle is {@link #WRITES_PER_CYCLE} writes, about 1.4 MB and 3,000 lines. Not thread-safe.
 */
public final class HostileOutput {

  /** One write: its bytes, and how many newlines they hold. */
  public record Write(byte[] bytes, int lines) {}

  /** The longest line the follower keeps whole by default. */
  public static final int AT_LIMIT = LogSettings.DEFAULTS.maxLineBytes();

  /** Writes of one progress bar. */
  public static final int BAR_UPDATES = 1000;

  /** Random bytes written at once. */
  public static final int BINARY_BYTES = 16 * 1024;

  /** One-character lines written at once. */
  public static final int TINY_LINES = 2048;

  /** Writes in one cycle: the pathological lines, the bar's updates and three more. */
  public static final int WRITES_PER_CYCLE = PathologicalTrainingLog.CYCLE + BAR_UPDATES + 3;

  private static final int BINARY_VARIANTS = 4;

  private final PathologicalTrainingLog lines;
  private final Map<String, byte[]> longLines = new IdentityHashMap<>();
  private final Write[] atLimit = new Write[PathologicalTrainingLog.phrases()];
  private final Write[] bar = new Write[BAR_UPDATES];
  private final Write[] binary = new Write[BINARY_VARIANTS];
  private final Write tiny;
  private final ArrayDeque<Write> pending = new ArrayDeque<>();
  private long produced; // lines of PathologicalTrainingLog
  private int nextAtLimit;
  private int nextBinary;

  public HostileOutput(long seed) {
    this.lines = new PathologicalTrainingLog(seed);
    for (int k = 0; k < atLimit.length; k++) {
      atLimit[k] = line(PathologicalTrainingLog.repeatedPhrase(k, AT_LIMIT));
    }
    for (int i = 0; i < BAR_UPDATES; i++) {
      String update = "\r" + progressBar(i + 1, BAR_UPDATES);
      boolean last = i == BAR_UPDATES - 1;
      bar[i] =
          new Write((last ? update + "\n" : update).getBytes(StandardCharsets.UTF_8), last ? 1 : 0);
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int v = 0; v < BINARY_VARIANTS; v++) {
      byte[] bytes = new byte[BINARY_BYTES];
      random.nextBytes(bytes);
      binary[v] = new Write(bytes, newlines(bytes));
    }
    tiny = new Write("x\n".repeat(TINY_LINES).getBytes(StandardCharsets.UTF_8), TINY_LINES);
  }

  /** The next write. */
  public Write next() {
    if (!pending.isEmpty()) {
      return pending.poll();
    }
    int position = (int) (produced++ % PathologicalTrainingLog.CYCLE);
    switch (position) {
      case 100 -> pending.add(atLimit[nextAtLimit++ % atLimit.length]);
      case 300 -> pending.add(binary[nextBinary++ % binary.length]);
      case 600 -> {
        for (Write w : bar) {
          pending.add(w);
        }
      }
      case 900 -> pending.add(tiny);
      default -> {}
    }
    String text = lines.next();
    if (text.length() < 4096) {
      return line(text);
    }
    // The long lines are the same few strings again and again: encoded once.
    return new Write(
        longLines.computeIfAbsent(text, t -> (t + "\n").getBytes(StandardCharsets.UTF_8)), 1);
  }

  private static Write line(String text) {
    return new Write((text + "\n").getBytes(StandardCharsets.UTF_8), 1);
  }

  /** {@code Epoch 3: 45%|████▌ | 450/1000 [05:37<06:52, 1.33it/s, loss=2.314, v_num=3]}. */
  private static String progressBar(int done, int total) {
    int eighths = done * 80 / total;
    StringBuilder b = new StringBuilder("█".repeat(eighths / 8));
    if (eighths < 80) {
      b.append(" ▏▎▍▌▋▊▉".charAt(eighths % 8));
    }
    while (b.length() < 10) {
      b.append(' ');
    }
    return "Epoch 3: "
        + LogFormat.right(done * 100L / total, 3)
        + "%|"
        + b
        + "| "
        + done
        + "/"
        + total
        + " ["
        + LogFormat.tqdmDuration(done * 3L / 4)
        + "<"
        + LogFormat.tqdmDuration((total - done) * 3L / 4)
        + ",  1.33it/s, loss="
        + LogFormat.fixed(2.5 - done / (double) total, 3)
        + ", v_num=3]";
  }

  private static int newlines(byte[] bytes) {
    int n = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        n++;
      }
    }
    return n;
  }
}
