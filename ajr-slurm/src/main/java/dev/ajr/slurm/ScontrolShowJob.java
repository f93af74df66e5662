package dev.ajr.slurm;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads single fields from {@code scontrol show job -o} output. The fields are separated by spaces
 * and the comment itself may hold spaces, so a value runs up to the next {@code " Key="}. Pure.
 */
public final class ScontrolShowJob {

  private ScontrolShowJob() {}

  /** The value of {@code key}, for example {@code StdOut}, or empty when absent. */
  public static Optional<String> field(String line, String key) {
    Matcher m =
        Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(.*?)(?=\\s[A-Za-z][A-Za-z:/]*=|$)")
            .matcher(line.strip());
    if (!m.find()) {
      return Optional.empty();
    }
    String value = m.group(1).strip();
    return value.isEmpty() || "(null)".equals(value) ? Optional.empty() : Optional.of(value);
  }
}
