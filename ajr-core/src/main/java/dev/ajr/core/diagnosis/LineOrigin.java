package dev.ajr.core.diagnosis;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a line of interleaved multi-rank output came from, read from the prefixes launchers put in
 * front of it: {@code [rank3]:} (PyTorch), {@code 3: } ({@code srun --label}), {@code
 * [1,3]<stderr>:} (Open MPI {@code --tag-output}), {@code [default3]:} (torchrun {@code --tee}),
 * and NCCL's own {@code host:pid:tid [gpu]} prefix. Pure.
 *
 * @param rank the rank (or local rank) the prefix names, or null
 * @param host the host the prefix names, or null
 */
public record LineOrigin(Integer rank, String host) {

  private static final Pattern PYTORCH =
      Pattern.compile("^\\s*(?:\\[\\d+\\]\\s*)?\\[rank(\\d+)\\]:");
  private static final Pattern SRUN_LABEL = Pattern.compile("^\\s{0,3}(\\d{1,6}): ");
  private static final Pattern OPEN_MPI = Pattern.compile("^\\[\\d+,(\\d+)\\]<std(?:out|err)>:");
  private static final Pattern TORCHRUN = Pattern.compile("^\\[default(\\d+)\\]:");
  private static final Pattern NCCL_HOST =
      Pattern.compile("(?:^|\\s)([A-Za-z][\\w.-]*):\\d+:\\d+ \\[(\\d+)\\] NCCL ");

  public static final LineOrigin UNKNOWN = new LineOrigin(null, null);

  public static LineOrigin of(String line) {
    Integer rank = null;
    for (Pattern p : new Pattern[] {PYTORCH, SRUN_LABEL, OPEN_MPI, TORCHRUN}) {
      Matcher m = p.matcher(line);
      if (m.find()) {
        rank = Integer.valueOf(m.group(1));
        break;
      }
    }
    String host = null;
    if (line.contains(" NCCL ")) {
      Matcher m = NCCL_HOST.matcher(line);
      if (m.find()) {
        host = m.group(1);
      }
    }
    return rank == null && host == null ? UNKNOWN : new LineOrigin(rank, host);
  }
}
