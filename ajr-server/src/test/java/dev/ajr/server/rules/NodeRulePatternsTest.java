package dev.ajr.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.diagnosis.Rule;
import dev.ajr.core.diagnosis.RulePattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The GPU, network and NCCL rules are written in RE2 syntax, and the patterns rewritten without
 * lookahead mean what the lookahead patterns meant, on every Xid and status number.
 */
class NodeRulePatternsTest {

  private static final Set<String> FILES = Set.of("gpu.yaml", "network.yaml", "nccl.yaml");

  private static Rule rule(String id) {
    return RuleCatalog.builtIn().rules().stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static boolean found(Pattern p, String line) {
    return p.matcher(line).find();
  }

  private static boolean found(RulePattern p, String line) {
    return p.find(line);
  }

  @Test
  void everyPatternOfTheseFilesCompilesAsRe2WithoutLookaround() {
    int checked = 0;
    for (Rule r : RuleCatalog.builtIn().rules()) {
      if (FILES.stream().noneMatch(f -> r.file().endsWith(f))) {
        continue;
      }
      for (RulePattern p : r.patterns()) {
        String regex = p.source();
        assertThat(regex).as(r.id()).doesNotContain("(?=", "(?!", "(?<=", "(?<!", "(?>");
        com.google.re2j.Pattern.compile(regex); // throws on syntax RE2 does not have
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(25);
  }

  @Test
  void theHardwareXidPatternMatchesEveryXidButTheApplicationsOnes() {
    Pattern before =
        Pattern.compile(
            "NVRM: Xid \\((?:PCI:)?(?<pci>[0-9A-Fa-f]{4}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}(?:\\.[0-7])?)"
                + "\\): (?!(?:13|31|43|45)\\b)\\d+\\b");
    RulePattern now = rule("gpu.xid.hardware").patterns().get(0);
    com.google.re2j.Pattern re2 = com.google.re2j.Pattern.compile(now.source());
    List<String> suffixes = List.of("", ", pid=1234, name=python", "x", "0", ".5", ":");
    for (int xid = 0; xid < 1200; xid++) {
      for (String number : List.of(String.valueOf(xid), String.format("%03d", xid))) {
        for (String suffix : suffixes) {
          String line = "NVRM: Xid (PCI:0000:3b:00): " + number + suffix;
          assertThat(found(now, line)).as(line).isEqualTo(found(before, line));
          assertThat(re2.matcher(line).find()).as(line).isEqualTo(found(before, line));
        }
      }
    }
    for (int xid : new int[] {13, 31, 43, 45}) {
      assertThat(found(now, "NVRM: Xid (PCI:0000:3b:00): " + xid + ", pid=1")).isFalse();
    }
  }

  @Test
  void theReportedXidPatternStillRefusesANumberFollowedByADotColonOrSlash() {
    Pattern before =
        Pattern.compile(
            "(?i)\\bxid(?:[ _-]?(?:error|event|code))?s?\\b\\s*[:=#(]?\\s*(?:48|56|57|58|61|62|63|64"
                + "|68|69|74|79|92|94|95|109|110|119|120|121|136|140|143|144|145|146|147|148|149|150"
                + "|151|154|155|156)\\b(?![.:/])");
    RulePattern now = rule("gpu.xid.reported").patterns().get(0);
    List<String> lines = new ArrayList<>();
    for (String prefix : List.of("xid ", "XID: ", "Xid error ", "xid=", "xid_event ", "xids ")) {
      for (int xid = 0; xid < 200; xid++) {
        for (String suffix : List.of("", " on GPU 2", ".", ".5", ":", "/x", "0", "a", ",", ")")) {
          lines.add("dcgm: " + prefix + xid + suffix);
        }
      }
    }
    for (String line : lines) {
      assertThat(found(now, line)).as(line).isEqualTo(found(before, line));
    }
  }

  @Test
  void theNcclCompletionPatternMatchesEveryStatusButZero() {
    Pattern before =
        Pattern.compile(
            "NCCL WARN NET/IB ?: Got completion (?:from peer \\S+ )?with (?:error |status=)\\s*"
                + "(?!0\\b)\\d+");
    RulePattern now = rule("nccl.ib-completion-error").patterns().get(0);
    for (String form :
        List.of(
            "host:1:2 [0] NCCL WARN NET/IB : Got completion from peer 10.0.0.1<5> with status=%s"
                + " opcode=0",
            "host:1:2 [0] NCCL WARN NET/IB : Got completion with error %s, opcode 0",
            "host:1:2 [0] NCCL WARN NET/IB: Got completion with status=%s")) {
      for (String status :
          List.of("0", "00", "012", "1", "5", "12", "120", "0x", "0_", "", " 12", " 0")) {
        String line = String.format(form, status);
        assertThat(found(now, line)).as(line).isEqualTo(found(before, line));
      }
    }
  }
}
