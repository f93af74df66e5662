package dev.ajr.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.detect.Repeat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleEngineTest {

  private static Rule rule(String id, int priority, String literal, String pattern, Cause cause) {
    return rule(id, priority, literal, pattern, cause, Repeat.ONCE);
  }

  private static Rule rule(
      String id, int priority, String literal, String pattern, Cause cause, Repeat repeat) {
    return new Rule(
        id,
        cause,
        cause == Cause.BENIGN ? null : AnomalyType.CRASH,
        cause == Cause.BENIGN ? RecoveryAction.NONE : RecoveryAction.REQUEUE,
        Severity.ERROR,
        priority,
        false,
        true,
        repeat,
        List.of(literal),
        List.of(RulePattern.compile(pattern)),
        List.of(),
        List.of(),
        List.of(),
        "",
        "test");
  }

  private final RuleEngine engine =
      new RuleEngine(
          List.of(
              rule("io", 0, "eio", "\\bEIO\\b", Cause.STORAGE_IO),
              rule("segv", 0, "segmentation fault", "(?i)segmentation fault", Cause.CRASH_SEGFAULT),
              rule(
                  "rank",
                  0,
                  "rank",
                  "\\[rank(?<rank>\\d+)\\] fatal on (?<node>\\S+)",
                  Cause.CUDA_ERROR),
              rule(
                  "quiet",
                  10,
                  "segmentation fault handler",
                  "segmentation fault handler",
                  Cause.BENIGN)));

  @Test
  void binaryGarbageMatchesNothingEvenWhenItHoldsALiteral() {
    String garbage = "\uFFFD\u0018\uFFFD0j\u0016\uFFFD*r\u0014d\uFFFDEIO\uFFFD\uFFFD\u000e\uFFFDW";

    assertThat(RuleEngine.looksBinary(garbage)).isTrue();
    assertThat(engine.match(garbage)).isEmpty();
    assertThat(engine.match("mount: error -5 (EIO) on /lustre")).isPresent();
  }

  @Test
  void aHigherPriorityRuleWinsOnTheSameLine() {
    assertThat(engine.match("installing segmentation fault handler"))
        .hasValueSatisfying(m -> assertThat(m.rule().id()).isEqualTo("quiet"));
    assertThat(engine.classify("installing segmentation fault handler")).isEmpty();
    assertThat(engine.classify("Segmentation fault (core dumped)"))
        .hasValueSatisfying(d -> assertThat(d.cause()).isEqualTo(Cause.CRASH_SEGFAULT));
  }

  @Test
  void aBenignRuleClearsALineForOneLineRulesButNotForARuleThatCountsLines() {
    RuleEngine counting =
        new RuleEngine(
            List.of(
                rule(
                    "nan-loss",
                    30,
                    "grad_norm",
                    "'loss': (?:nan|0\\.0)\\b",
                    Cause.TRAINING_DIVERGENCE),
                rule(
                    "one-skip",
                    35,
                    "grad_norm",
                    "'loss': [1-9][0-9.]*, 'grad_norm': nan",
                    Cause.BENIGN),
                rule(
                    "skips-repeated",
                    20,
                    "grad_norm",
                    "grad_norm': nan",
                    Cause.TRAINING_DIVERGENCE,
                    new Repeat(5, 200))));

    assertThat(counting.match("{'loss': 2.1, 'grad_norm': nan}"))
        .hasValueSatisfying(m -> assertThat(m.rule().id()).isEqualTo("skips-repeated"));
    assertThat(counting.match("{'loss': 0.0, 'grad_norm': nan}"))
        .hasValueSatisfying(m -> assertThat(m.rule().id()).isEqualTo("nan-loss"));
    assertThat(counting.classify("{'loss': 2.1, 'grad_norm': nan}"))
        .hasValueSatisfying(d -> assertThat(d.repeat()).isEqualTo(new Repeat(5, 200)));
  }

  @Test
  void namedGroupsAttributeTheLine() {
    assertThat(engine.match("[rank3] fatal on gpu-node-7"))
        .hasValueSatisfying(m -> {
          assertThat(m.rank()).isEqualTo(3);
          assertThat(m.node()).isEqualTo("gpu-node-7");
        });
  }

  @Test
  void aLineWithoutAnyLiteralNeverReachesARegex() {
    assertThat(engine.match("iteration 100/1000 | lm loss: 2.3 |")).isEmpty();
  }
}
