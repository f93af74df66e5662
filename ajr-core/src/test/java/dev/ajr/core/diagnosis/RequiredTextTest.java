package dev.ajr.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequiredTextTest {

  private static String of(String regex) {
    RequiredText required = RequiredText.of(regex);
    return required == null ? null : String.join("|", required.runs());
  }

  @Test
  void findsTheLongestRunEveryMatchContains() {
    assertThat(of("NCCL WARN NET/IB ?: Got completion")).isEqualTo("NCCL WARN NET/IB");
    assertThat(of("\\[Rank (?<rank>\\d+)\\] Watchdog caught collective operation timeout"))
        .isEqualTo("] Watchdog caught collective operation timeout");
    assertThat(of("LustreError: .*(?:evicted|timeout)")).isEqualTo("LustreError: ");
    assertThat(of("a\\.b\\(c\\)d+efgh")).isEqualTo("a.b(c)d");
    assertThat(of("abcd+xyz")).isEqualTo("abcd");
    assertThat(of("abcde?xyz")).isEqualTo("abcd");
    assertThat(of("abcde{0,2}xyz")).isEqualTo("abcd");
    assertThat(of("[abc]+ segmentation fault\\b")).isEqualTo(" segmentation fault");
  }

  @Test
  void alternationsNeedOneRunOfEachBranch() {
    assertThat(of("Timeout at NCCL work|Watchdog caught"))
        .isEqualTo("Timeout at NCCL work|Watchdog caught");
    assertThat(of("(?i)(?:\\bloss[ _]?scale reduced|\\breducing to)\\s*\\d"))
        .isEqualTo("scale reduced|reducing to");
    assertThat(of("NCCL WARN (?:foo|ba)r? x")).isEqualTo("NCCL WARN ");
    assertThat(of("x (?<node>gpu-node|host)+ [0-9]")).isEqualTo("gpu-node|host");
    assertThat(of("ab (?:longer text|more text)? cd")).isNull();
  }

  @Test
  void answersNothingWhenItCannotBeSure() {
    assertThat(of("Timeout at NCCL work|\\d+")).isNull();
    assertThat(of("Timeout at NCCL work|Wat(caught)?")).isNull();
    assertThat(of("Watchdog (?i)caught collective")).isNull();
    assertThat(of("(?i:watchdog) caught")).isNull();
    assertThat(of("(?i)Watchdog caught ä")).isNull();
    assertThat(of("abc")).isNull();
    assertThat(of("\\d+\\s+\\w*")).isNull();
  }

  @Test
  void caseInsensitiveRunsMatchAnyCase() {
    RequiredText required = RequiredText.of("(?i)\\bsegmentation fault\\b");
    assertThat(required.ignoreCase()).isTrue();
    assertThat(required.in("x SEGMENTATION Fault (core dumped)")).isTrue();
    assertThat(required.in("segmentation faul")).isFalse();
    assertThat(RequiredText.of("(?i)stack").in("\u017Ftac\u212A")).isTrue();
  }

  @Test
  void whatTheRunRejectsTheExpressionRejectsToo() {
    String[] expressions = {
      "NCCL WARN NET/IB ?: Got completion (?:from peer \\S+ )?with (?:error |status=)\\s*\\d+",
      "(?i)\\bsegmentation fault\\b",
      "LustreError: \\d+:\\d+:\\(\\w+\\.c:\\d+:\\w+\\(\\)\\) .*evicted",
    };
    String[] lines = {
      "x NCCL WARN NET/IB : Got completion from peer 1.2.3.4<5> with status=12 opcode=1",
      "NCCL WARN NET/IB: Got completion with error 12",
      "Segmentation fault (core dumped)",
      "LustreError: 123:456:(client.c:12:ptlrpc_x()) we were evicted",
      "NCCL INFO NET/IB : Using [0]mlx5_0:1/IB",
      "ordinary progress line",
    };
    for (String expression : expressions) {
      com.google.re2j.Pattern engine = com.google.re2j.Pattern.compile(expression);
      RequiredText required = RequiredText.of(expression);
      assertThat(required).as(expression).isNotNull();
      assertThat(required.runs()).as(expression).isNotEmpty();
      for (String line : lines) {
        if (engine.matcher(line).find()) {
          assertThat(required.in(line)).as(expression + " on " + line).isTrue();
        }
      }
    }
  }
}
