package dev.ajr.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule file's {@code charged} field: who pays for a restart after the rule's failure. */
class RuleDefinitionsTest {

  private static final String LINE = "JobId=5151 JobState=PREEMPTED Reason=Preempted";

  /** A preemption rule as a YAML reader gives it, with {@code extra} keys added. */
  private static Map<String, Object> rule(String action, Map<String, Object> extra) {
    Map<String, Object> rule = new HashMap<>();
    rule.put("id", "site.preempted");
    rule.put("cause", "SLURM_SCHEDULER");
    rule.put("type", "CRASH");
    rule.put("action", action);
    rule.put("literals", List.of("preempted"));
    rule.put("patterns", List.of("\\bJobState=PREEMPTED\\b"));
    rule.put("examples", Map.of("match", List.of(LINE)));
    rule.putAll(extra);
    return rule;
  }

  private static RuleDefinitions.Parsed parse(Map<String, Object> rule) {
    return RuleDefinitions.parse("site.yaml", Map.of("rules", List.of(rule)));
  }

  @Test
  void aRuleIsChargedUnlessItSaysOtherwise() {
    RuleDefinitions.Parsed parsed = parse(rule("REQUEUE", Map.of()));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.rules()).singleElement().satisfies(r -> assertThat(r.charged()).isTrue());
    assertThat(new RuleEngine(parsed.rules()).classify(LINE))
        .hasValueSatisfying(d -> assertThat(d.charged()).isTrue());
  }

  @Test
  void chargedFalseReachesTheRuleAndItsDetections() {
    RuleDefinitions.Parsed parsed = parse(rule("REQUEUE", Map.of("charged", false)));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.rules()).singleElement().satisfies(r -> assertThat(r.charged()).isFalse());
    assertThat(new RuleEngine(parsed.rules()).classify(LINE))
        .hasValueSatisfying(d -> assertThat(d.charged()).isFalse());
  }

  @Test
  void chargedMustBeTrueOrFalse() {
    RuleDefinitions.Parsed parsed = parse(rule("REQUEUE", Map.of("charged", "no")));

    assertThat(parsed.rules()).isEmpty();
    assertThat(parsed.problems())
        .containsExactly("site.yaml: rule site.preempted: charged must be true or false");
  }

  @Test
  void onlyARuleThatRestartsTheJobCanBeUncharged() {
    RuleDefinitions.Parsed stop = parse(rule("STOP", Map.of("charged", false)));
    RuleDefinitions.Parsed excluding =
        parse(rule("REQUEUE_EXCLUDE_NODE", Map.of("charged", false)));

    assertThat(stop.rules()).isEmpty();
    assertThat(stop.problems())
        .containsExactly(
            "site.yaml: rule site.preempted: charged: false needs an action that restarts the job"
                + " (REQUEUE or REQUEUE_EXCLUDE_NODE), not STOP");
    assertThat(excluding.problems()).isEmpty();
  }
}
