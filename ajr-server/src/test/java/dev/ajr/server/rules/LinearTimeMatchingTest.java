package dev.ajr.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.diagnosis.Rule;
import dev.ajr.core.diagnosis.RuleEngine;
import dev.ajr.core.diagnosis.RulePattern;
import dev.ajr.core.testing.CountingText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No rule, built in or an operator's, can make the diagnosis of a line cost more than linear time:
 * every expression is fed lines of 8 KiB and 1 MiB made of its own literals and examples repeated
 * (the input that makes a backtracking engine go quadratic) and the characters it reads are
 * counted. Work, not wall time, is asserted.
 */
class LinearTimeMatchingTest {

  private static final int SMALL = 8 * 1024;
  private static final int LARGE = 1024 * 1024;

  /** 128 times the line: linear work reads about 128 times as much; quadratic 16,384 times. */
  private static final double MAX_GROWTH = 200;

  /** Characters read per character of the line, at most: a constant, whatever the line. */
  private static final long MAX_READS_PER_CHAR = 64;

  @Test
  void everyBuiltInExpressionReadsALineALinearNumberOfTimes() {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Rule rule : RuleCatalog.builtIn().rules()) {
      List<RulePattern> expressions = new ArrayList<>(rule.patterns());
      expressions.addAll(rule.unless());
      for (RulePattern pattern : expressions) {
        for (String unit : hostileUnits(rule)) {
          long small = reads(pattern, CountingText.repeated(unit, SMALL));
          long large = reads(pattern, CountingText.repeated(unit, LARGE));
          checked++;
          if (large > (long) (MAX_GROWTH * Math.max(small, SMALL))
              || large > MAX_READS_PER_CHAR * LARGE) {
            failures.add(
                rule.id() + " " + pattern + " on \"" + unit + "\"...: " + small + " -> " + large);
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(300);
    assertThat(failures).as("expressions whose work grows faster than the line").isEmpty();
  }

  @Test
  void theFastEngineAndTheAutomatonAgreeOnEveryExampleOfTheCatalog() {
    List<Rule> rules = RuleCatalog.builtIn().rules();
    List<String> lines = new ArrayList<>();
    rules.forEach(r -> {
      lines.addAll(r.matchExamples());
      lines.addAll(r.noMatchExamples());
    });
    List<String> disagreements = new ArrayList<>();
    for (Rule rule : rules) {
      for (RulePattern pattern : rule.patterns()) {
        com.google.re2j.Pattern automaton = com.google.re2j.Pattern.compile(pattern.source());
        for (String line : lines) {
          if (pattern.find(line) != automaton.matcher(line).find()) {
            disagreements.add(rule.id() + " " + pattern + " on " + line);
          }
        }
      }
    }
    assertThat(lines).hasSizeGreaterThan(400);
    assertThat(disagreements).isEmpty();
  }

  @Test
  void theByteScanNeverPassesOverALineThatMatches() {
    RuleEngine engine = RuleCatalog.builtIn().engine();
    List<String> lines = new ArrayList<>();
    for (Rule rule : engine.rules()) {
      lines.addAll(rule.matchExamples());
      lines.addAll(rule.noMatchExamples());
    }
    lines.add("Ünïcødé █▌ then Segmentation fault (core dumped)");
    lines.add("x".repeat(9000) + " segmentation fault");
    int matched = 0;
    for (String line : lines) {
      byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      boolean real = engine.match(line).filter(m -> !m.rule().marksHarmless()).isPresent();
      if (real) {
        matched++;
        assertThat(engine.mayMatch(bytes, 0, bytes.length)).as(line).isTrue();
      }
    }
    assertThat(matched).isGreaterThan(300);
    byte[] chatter =
        "gpu-node-3:1234:1290 [0] NCCL INFO Channel 00/32 : 0 1 2 3"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(engine.mayMatch(chatter, 0, chatter.length)).isFalse();
  }

  @Test
  void theEngineReadsOnlyTheBoundedPartOfAHugeLine() {
    RuleEngine engine = RuleCatalog.builtIn().engine();
    for (String unit : List.of("LustreError: ", "NCCL WARN NET/IB : ", "Xid (PCI:0000:", "a ")) {
      CountingText text = new CountingText(CountingText.repeated(unit, LARGE));
      engine.match(text);
      assertThat(text.reads()).as(unit).isLessThan(MAX_READS_PER_CHAR * SMALL);
    }
  }

  @Test
  void aHostileOperatorRuleLoadsAndRunsInLinearTimeWhileABacktrackingOneIsRefused(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("hostile.yaml"),
        """
        rules:
          - id: site.nested-quantifiers
            cause: STORAGE_IO
            type: CRASH
            action: REQUEUE
            literals: ["lustreerror"]
            patterns:
              - '(?:LustreError: (?:\\S+\\s*)*)+(?:evicted|timeout)$'
            examples:
              match: ["LustreError: x y evicted"]
          - id: site.lookahead
            cause: STORAGE_IO
            type: CRASH
            action: REQUEUE
            literals: ["lustreerror"]
            patterns:
              - 'LustreError: (?!harmless)'
            examples:
              match: ["LustreError: bad"]
        """);
    RuleCatalog.Loaded loaded = RuleCatalog.load(dir);

    assertThat(loaded.problems())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("hostile.yaml", "site.lookahead", "lookahead ((?!)", "linear time");
    Rule hostile =
        loaded.rules().stream()
            .filter(r -> r.id().equals("site.nested-quantifiers"))
            .findFirst()
            .orElseThrow();
    RulePattern pattern = hostile.patterns().get(0);
    long small = reads(pattern, CountingText.repeated("LustreError: ", SMALL));
    long large = reads(pattern, CountingText.repeated("LustreError: ", LARGE));
    assertThat((double) large / small).isLessThan(MAX_GROWTH);
  }

  /** Pieces that, repeated, make a backtracking engine try every split of the line. */
  private static List<String> hostileUnits(Rule rule) {
    List<String> units = new ArrayList<>();
    rule.literals().stream().limit(3).forEach(literal -> units.add(literal + " "));
    rule.matchExamples().stream()
        .limit(2)
        .forEach(example -> units.add(example.substring(0, Math.max(1, example.length() / 2))));
    units.add("a");
    return units;
  }

  private static long reads(RulePattern pattern, String line) {
    CountingText text = new CountingText(line);
    pattern.find(text);
    return text.reads();
  }
}
