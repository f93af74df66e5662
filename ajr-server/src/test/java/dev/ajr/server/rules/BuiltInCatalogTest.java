package dev.ajr.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.diagnosis.Rule;
import dev.ajr.core.diagnosis.RuleMatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in rule catalog loads cleanly, covers the vocabulary, and operator files extend it. */
class BuiltInCatalogTest {

  @Test
  void builtInCatalogLoadsWithoutProblems() {
    RuleCatalog.Loaded loaded = RuleCatalog.builtIn();

    assertThat(loaded.problems()).isEmpty();
    assertThat(loaded.rules()).hasSizeGreaterThan(50);
  }

  @Test
  void everyCauseHasAtLeastOneRule() {
    Set<Cause> missing = EnumSet.allOf(Cause.class);
    for (Rule rule : RuleCatalog.builtIn().rules()) {
      missing.remove(rule.cause());
    }

    assertThat(missing).as("causes without a rule").isEmpty();
  }

  @Test
  void onlyPreemptionAndNodeFailureAreNotTheJobsFault() {
    assertThat(RuleCatalog.builtIn().rules())
        .filteredOn(rule -> !rule.charged())
        .extracting(Rule::id)
        .containsExactlyInAnyOrder("slurm.preempted", "slurm.node-failure");
  }

  @Test
  void ruleIdsAreUniqueAcrossFiles() throws IOException {
    // The catalog keeps the last rule of an id, so duplicates would hide: count ids in the files.
    Set<String> seen = new HashSet<>();
    Set<String> duplicates = new HashSet<>();
    for (String file : builtInFiles()) {
      String text = resource(file);
      for (String line : text.lines().toList()) {
        String stripped = line.strip();
        if (stripped.startsWith("- id: ")) {
          String id = stripped.substring("- id: ".length()).strip();
          if (!seen.add(id)) {
            duplicates.add(id);
          }
        }
      }
    }

    assertThat(duplicates).isEmpty();
    assertThat(seen).hasSize(RuleCatalog.builtIn().rules().size());
  }

  @Test
  void everyBuiltInRuleHasExamplesAndSpecificLiterals() {
    for (Rule rule : RuleCatalog.builtIn().rules()) {
      assertThat(rule.matchExamples()).as(rule.id()).isNotEmpty();
      assertThat(rule.literals()).as(rule.id() + " literals").isNotEmpty();
      assertThat(rule.literals()).as(rule.id() + " literals").doesNotContain("error", "failed");
      if (rule.action() == RecoveryAction.NONE && rule.cause() != Cause.BENIGN) {
        assertThat(rule.cause()).as(rule.id()).isEqualTo(Cause.STRAGGLER);
      }
    }
  }

  @Test
  void operatorDirectoryOverridesABuiltInRuleAndAddsOne(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("site.yaml"),
        """
        rules:
          - id: crash.segfault
            cause: CRASH_SEGFAULT
            type: CRASH
            action: STOP
            literals: ["segmentation fault"]
            patterns: ['(?i)segmentation fault']
            examples:
              match: ["Segmentation fault (core dumped)"]
          - id: site.quota-daemon
            cause: STORAGE_IO
            type: CRASH
            action: STOP
            literals: ["quotad"]
            patterns: ['quotad: project \\S+ over hard limit']
            examples:
              match: ["quotad: project ml-42 over hard limit"]
              no-match: ["quotad: project ml-42 under limit"]
        """);

    RuleCatalog.Loaded loaded = RuleCatalog.load(dir);

    assertThat(loaded.problems()).isEmpty();
    Optional<RuleMatch> segfault = loaded.engine().match("Segmentation fault (core dumped)");
    assertThat(segfault).isPresent();
    assertThat(segfault.get().rule().action()).isEqualTo(RecoveryAction.STOP);
    assertThat(segfault.get().rule().file()).contains("site.yaml");
    Optional<RuleMatch> quota = loaded.engine().match("quotad: project ml-42 over hard limit");
    assertThat(quota).isPresent();
    assertThat(quota.get().rule().id()).isEqualTo("site.quota-daemon");
    assertThat(loaded.rules()).hasSize(RuleCatalog.builtIn().rules().size() + 1);
  }

  @Test
  void badFilesAreReportedWithFileAndRuleWhileGoodRulesLoad(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("broken.yaml"), "rules:\n  - id: [unclosed\n    cause: : :\n");
    Files.writeString(
        dir.resolve("mixed.yaml"),
        """
        rules:
          - id: site.unknown-cause
            cause: COSMIC_RAYS
            type: CRASH
            action: REQUEUE
            literals: ["bitflip"]
            patterns: ['bitflip']
            examples:
              match: ["bitflip detected"]
          - id: site.bad-pattern
            cause: CRASH_SEGFAULT
            type: CRASH
            action: REQUEUE
            literals: ["boom"]
            patterns: ['boom(']
            examples:
              match: ["boom("]
          - id: site.example-mismatch
            cause: HANG
            type: HANG
            action: REQUEUE
            literals: ["frozen"]
            patterns: ['frozen for \\d+ s']
            examples:
              match: ["frozen solid"]
          - id: site.good
            cause: HANG
            type: HANG
            action: REQUEUE
            literals: ["no heartbeat"]
            patterns: ['no heartbeat for \\d+ s']
            examples:
              match: ["no heartbeat for 600 s"]
        """);

    RuleCatalog.Loaded loaded = RuleCatalog.load(dir);

    List<String> problems = loaded.problems();
    assertThat(problems).hasSize(4);
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("broken.yaml").contains("not valid YAML"));
    assertThat(problems)
        .anySatisfy(p ->
            assertThat(p)
                .contains("mixed.yaml")
                .contains("site.unknown-cause")
                .contains("COSMIC_RAYS"));
    assertThat(problems)
        .anySatisfy(p ->
            assertThat(p)
                .contains("mixed.yaml")
                .contains("site.bad-pattern")
                .contains("does not compile"));
    assertThat(problems)
        .anySatisfy(p ->
            assertThat(p)
                .contains("mixed.yaml")
                .contains("site.example-mismatch")
                .contains("does not match its example"));
    assertThat(loaded.rules()).extracting(Rule::id).contains("site.good", "crash.segfault");
    assertThat(loaded.engine().match("no heartbeat for 600 s")).isPresent();
    assertThat(loaded.rules()).hasSize(RuleCatalog.builtIn().rules().size() + 1);
  }

  private static List<String> builtInFiles() throws IOException {
    return resource("index.txt")
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  private static String resource(String name) throws IOException {
    try (var in = RuleCatalog.class.getResourceAsStream("/dev/ajr/core/rules/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
