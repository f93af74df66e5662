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
    String text = line.strip();
    // The comment is the job owner's text and may itself hold " StdOut=...": Slurm ends it with
    // two spaces before StdErr=, so keys are looked for outside it.
    Matcher comment = COMMENT.matcher(text);
    int commentEnd = text.lastIndexOf("  StdErr=");
    if (comment.find() && commentEnd >= comment.end()) {
      if (key.equals("Comment")) {
        return value(text.substring(comment.end(), commentEnd));
      }
      text = text.substring(0, comment.start()) + text.substring(commentEnd);
    }
    Matcher m =
        Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(.*?)(?=\\s[A-Za-z][A-Za-z:/]*=|$)")
            .matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    return value(m.group(1));
  }

  private static final Pattern COMMENT = Pattern.compile("(?:^|\\s)Comment=");

  private static Optional<String> value(String raw) {
    String value = raw.strip();
    return value.isEmpty() || "(null)".equals(value) ? Optional.empty() : Optional.of(value);
  }
}
