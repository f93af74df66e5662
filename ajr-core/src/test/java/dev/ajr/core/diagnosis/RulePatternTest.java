package dev.ajr.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.testing.CountingText;
import org.junit.jupiter.api.Test;

class RulePatternTest {

  @Test
  void constructsThatNeedBacktrackingAreRefusedByName() {
    assertThatThrownBy(() -> RulePattern.compile("Fatal Python error: (?!Aborted)"))
        .hasMessageContaining("lookahead ((?!)")
        .hasMessageContaining("linear time");
    assertThatThrownBy(() -> RulePattern.compile("(?<!\\*\\*\\* )step"))
        .hasMessageContaining("lookbehind ((?<!)");
    assertThatThrownBy(() -> RulePattern.compile("(a)\\1")).hasMessageContaining("backreference");
    assertThatThrownBy(() -> RulePattern.compile("a++b")).hasMessageContaining("possessive");
    assertThatThrownBy(() -> RulePattern.compile("(?>ab)c")).hasMessageContaining("atomic");
    assertThatThrownBy(() -> RulePattern.compile("unclosed (group"))
        .hasMessageContaining("does not compile");
  }

  @Test
  void whatRulesUseIsAccepted() {
    RulePattern p =
        RulePattern.compile(
            "(?i)\\bXid (?:\\(PCI:(?<pci>[0-9a-f:]+)\\))?: (?<code>\\d+)[^\\]]* \\[x]");
    assertThat(p.hasGroup("pci")).isTrue();
    assertThat(p.hasGroup("node")).isFalse();
    assertThat(p.find("NVRM: xid (PCI:0000:3b:00): 79, pid 7 [x]")).isTrue();
    assertThat(RulePattern.compile("[(?!]a").find("!a")).isTrue();
    assertThat(RulePattern.compile("\\(?!x").find("!x")).isTrue();
    assertThat(RulePattern.compile("c\\++").find("c++")).isTrue();
    assertThatThrownBy(() -> RulePattern.compile("c\\+++")).hasMessageContaining("possessive");
  }

  @Test
  void matchingWorkGrowsLinearlyWithTheLineEvenForPatternsMadeToBacktrack() {
    String[] hostile = {
      "(a+)+b", "(x+x+)+y", "(?:a|aa)+b$", ".*.*.*=.*", "LustreError: .*(?:x|y)z"
    };
    for (String source : hostile) {
      RulePattern pattern = RulePattern.compile(source);
      long small = readsFor(pattern, 8 * 1024);
      long large = readsFor(pattern, 1024 * 1024);
      // 128 times the line: linear work is about 128 times the reads; quadratic would be 16,384.
      assertThat((double) large / small).as(source).isLessThan(160);
      assertThat(large).as(source).isLessThan(64L * 1024 * 1024);
    }
  }

  private static long readsFor(RulePattern pattern, int length) {
    StringBuilder line = new StringBuilder(length);
    String unit = pattern.source().startsWith("LustreError") ? "LustreError: " : "a";
    while (line.length() < length) {
      line.append(unit);
    }
    CountingText text = new CountingText(line.substring(0, length));
    assertThat(pattern.find(text)).as(pattern.source()).isFalse();
    return text.reads();
  }
}
