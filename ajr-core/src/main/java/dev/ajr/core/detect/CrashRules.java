package dev.ajr.core.detect;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The built-in crash signatures: process crashes that the installation guide's verification job and
 * real training jobs print (segmentation fault, fatal signals, core dumps, fatal Python errors).
 * The full rule catalog replaces this small set.
 *
 * <p>Each rule needs a cheap literal to be present before its regular expression runs, so most
 * lines cost a few {@code indexOf} calls. Pure and thread-safe.
 */
public final class CrashRules implements LineClassifier {

  private record Rule(String id, String literal, Pattern pattern) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              "crash.segfault",
              "egmentation fault",
              Pattern.compile("\\b[Ss]egmentation fault\\b(?! handler)")),
          new Rule(
              "crash.fatal-signal",
              "SIG",
              Pattern.compile(
                  "(?:received|caught|got|Signal \\d+ \\(|signal:?|killed by signal:?)\\s*"
                      + "(?:signal\\s+)?SIG(?:SEGV|BUS|ABRT|ILL|FPE)\\b"
                      + "|\\bSIG(?:SEGV|BUS|ABRT)\\b.*\\b(?:received|caught|core)\\b")),
          new Rule("crash.core-dumped", "core dumped", Pattern.compile("\\(core dumped\\)")),
          new Rule(
              "crash.fatal-python-error",
              "Fatal Python error",
              Pattern.compile("^\\s*(?:\\S+:\\s*)?Fatal Python error: ")));

  @Override
  public Optional<Detection> classify(String line) {
    for (Rule rule : RULES) {
      if (line.contains(rule.literal) && rule.pattern.matcher(line).find()) {
        return Optional.of(new Detection(rule.id, AnomalyType.CRASH, Cause.CRASH_SEGFAULT));
      }
    }
    return Optional.empty();
  }
}
