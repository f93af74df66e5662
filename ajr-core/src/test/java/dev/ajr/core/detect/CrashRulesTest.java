package dev.ajr.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CrashRulesTest {

  private final CrashRules rules = new CrashRules();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Rank0: (1) segmentation fault: artificial segfault | crash.segfault",
        "Segmentation fault (core dumped)                    | crash.segfault",
        "/var/spool/slurmd/job00042/slurm_script: line 12: 4711 Segmentation fault      python"
            + " train.py | crash.segfault",
        "Fatal Python error: Segmentation fault              | crash.segfault",
        "Fatal Python error: Aborted                         | crash.fatal-python-error",
        "*** SIGSEGV received at time=1732700000 on cpu 3 *** | crash.fatal-signal",
        "torch.distributed.elastic.multiprocessing.api: [ERROR] failed (exitcode: -11) local_rank:"
            + " 0 (pid: 1234) of binary: python; Signal 11 (SIGSEGV) received by PID 1234"
            + " | crash.fatal-signal",
        "  traceback : Signal 6 (SIGABRT) received by PID 77 | crash.fatal-signal",
        "Aborted (core dumped)                               | crash.core-dumped",
      })
  void detectsCrashSignature(String line, String ruleId) {
    Optional<Detection> detection = rules.classify(line);

    assertThat(detection).contains(new Detection(ruleId, AnomalyType.CRASH, Cause.CRASH_SEGFAULT));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "node1:1234:1234 [0] NCCL INFO Bootstrap : Using eth0:10.0.0.1<0>",
        "step 1200 | loss: 0.53 | lr 3e-4",
        "Installed segmentation fault handler",
        "installing segmentation fault handler for rank 0",
        "",
        "from segmentation_model import UNet",
        "loading segmentation_models_pytorch weights",
        "signal handler installed for SIGTERM",
        "SIGUSR1 will trigger a checkpoint",
      })
  void ignoresOrdinaryLine(String line) {
    assertThat(rules.classify(line)).isEmpty();
  }

  /** Records from the public corpus, kept in src/test/resources/crash-lines.txt. */
  private record CorpusRecord(String id, String label, List<String> lines) {}

  private static List<CorpusRecord> corpus() throws IOException {
    String text;
    try (InputStream in = CrashRulesTest.class.getResourceAsStream("/crash-lines.txt")) {
      assertThat(in).as("test resource crash-lines.txt").isNotNull();
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, CorpusRecord> records = new LinkedHashMap<>();
    CorpusRecord current = null;
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("@@ ")) {
        String[] head = line.split(" ");
        current = new CorpusRecord(head[1], head[2], new ArrayList<>());
        records.put(current.id(), current);
      } else if (current != null) {
        current.lines().add(line);
      }
    }
    return List.copyOf(records.values());
  }

  @Test
  void matchesEveryCorpusSegfaultRecord() throws IOException {
    List<CorpusRecord> segfaults =
        corpus().stream().filter(r -> r.label().equals("CRASH_SEGFAULT")).toList();
    assertThat(segfaults).hasSizeGreaterThanOrEqualTo(5);

    List<String> missed = new ArrayList<>();
    for (CorpusRecord record : segfaults) {
      boolean matched =
          record.lines().stream()
              .map(rules::classify)
              .anyMatch(d -> d.isPresent() && d.get().cause() == Cause.CRASH_SEGFAULT);
      if (!matched) {
        missed.add(record.id());
      }
    }
    assertThat(missed).as("CRASH_SEGFAULT records without a matching line").isEmpty();
  }

  @Test
  void findsNothingInCorpusBenignRecords() throws IOException {
    List<CorpusRecord> benign = corpus().stream().filter(r -> r.label().equals("BENIGN")).toList();
    assertThat(benign).hasSizeGreaterThanOrEqualTo(10);

    List<String> falsePositives = new ArrayList<>();
    for (CorpusRecord record : benign) {
      for (String line : record.lines()) {
        rules.classify(line).ifPresent(d -> falsePositives.add(record.id() + ": " + line));
      }
    }
    assertThat(falsePositives).as("BENIGN lines that were detected").isEmpty();
  }
}
