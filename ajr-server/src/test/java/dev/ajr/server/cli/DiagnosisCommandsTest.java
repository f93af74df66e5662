package dev.ajr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.server.rules.RuleCatalog;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ajr explain} and {@code ajr classify}, without a server or a cluster. */
class DiagnosisCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RuleCatalog.Loaded RULES = RuleCatalog.builtIn();

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private PrintStream printer() {
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }

  /** The step log the installation guide's verification job writes. */
  private Path verificationLog() throws Exception {
    Path file = dir.resolve("ajr-verification-requeue-test_24_date_26-11-27_time_12-41-53.log");
    Files.writeString(
        file,
        """
        Start time: date_26-11-27_time_12-41-53
        Sleeping 30 seconds
        Rank0: (1) segmentation fault: artificial segfault
        Sleep another 60 seconds
        slurmstepd-node1: error: *** STEP 24.0 ON node1 CANCELLED AT 2026-11-27T12:42:25 DUE TO JOB REQUEUE ***
        """);
    return file;
  }

  @Test
  void explainNamesTheSegfaultOfTheVerificationJob() throws Exception {
    int status = new ExplainCommand(RULES.engine()).run(verificationLog(), false, printer());

    assertThat(status).isZero();
    assertThat(output())
        .contains("cause:  CRASH_SEGFAULT (CRASH)")
        .contains("action: REQUEUE")
        .contains(">      3 | Rank0: (1) segmentation fault: artificial segfault");
  }

  @Test
  void explainAsJsonNamesTheCudaErrorItsRankAndTheCascade() throws Exception {
    Path file = dir.resolve("multi-rank.log");
    try (InputStream in =
        getClass().getResourceAsStream("/logs/cuda-error-then-nccl-timeouts.log")) {
      Files.write(file, in.readAllBytes());
    }

    new ExplainCommand(RULES.engine()).run(file, true, printer());

    JsonNode result = JSON.readTree(output());
    assertThat(result.get("cause").asText()).isEqualTo("CUDA_ERROR");
    assertThat(result.get("rank").asInt()).isEqualTo(3);
    assertThat(result.get("line").asText()).contains("illegal memory access");
    assertThat(result.get("notes").toString()).contains("cascade symptom");
    assertThat(result.get("context")).isNotEmpty();
  }

  @Test
  void explainNamesTheGpuByItsPciIdAndTheNodeByItsHostName() throws Exception {
    Path file = dir.resolve("journal.log");
    Files.writeString(
        file,
        """
        Nov 27 10:00:00 gpu-node-7 kernel: NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, name=python, GPU has fallen off the bus.
        """);

    new ExplainCommand(RULES.engine()).run(file, false, printer());

    assertThat(output())
        .contains("action: REQUEUE_EXCLUDE_NODE on gpu-node-7 (GPU 0000:3b:00)")
        .contains("root:   line 1, node gpu-node-7, GPU 0000:3b:00");
  }

  @Test
  void explainSaysTheNodeIsUnknownWhenNoLineNamesItsHost() throws Exception {
    Path file = dir.resolve("dmesg.log");
    Files.writeString(
        file,
        """
        [74889.644112] NVRM: GPU at PCI:0000:02:00: GPU-660d987e-5b28-3bf6-2a2d-1d5ecae7f6df
        [74889.644138] NVRM: Xid (PCI:0000:02:00): 79, GPU has fallen off the bus.
        """);

    new ExplainCommand(RULES.engine()).run(file, false, printer());

    assertThat(output())
        .contains("action: REQUEUE_EXCLUDE_NODE on an unknown node (GPU 0000:02:00)")
        .contains("root:   line 2, node unknown, GPU 0000:02:00")
        .contains("GPU fault on an unknown node (GPU 0000:02:00)");
    out.reset();

    new ExplainCommand(RULES.engine()).run(file, true, printer());

    JsonNode result = JSON.readTree(output());
    assertThat(result.get("nodes")).isEmpty();
    assertThat(result.get("nodeUnknown").asBoolean()).isTrue();
    assertThat(result.get("devices").toString()).isEqualTo("[\"0000:02:00\"]");
    assertThat(result.get("device").asText()).isEqualTo("0000:02:00");
    assertThat(result.get("node").isNull()).isTrue();
  }

  @Test
  void explainOfALogWithoutFailureSaysSo() throws Exception {
    Path file = dir.resolve("fine.log");
    Files.writeString(file, "step 1 loss 2.0\nstep 2 loss 1.9\ntraining done\n");

    new ExplainCommand(RULES.engine()).run(file, false, printer());

    assertThat(output()).contains("no failure found");
  }

  @Test
  void classifyAnswersEveryInputLineInOrder() throws Exception {
    String input =
        String.join(
            "\n",
            "{\"id\": \"a\", \"text\": \"NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, GPU has fallen"
                + " off the bus.\"}",
            "not json",
            "{\"id\": 7, \"text\": \"step 100 loss 1.0\\nRank0: (1) segmentation fault: x\"}",
            "{\"id\": \"c\", \"text\": \"torch.OutOfMemoryError: CUDA out of memory. Tried to"
                + " allocate 2.00 GiB\"}");

    new ClassifyCommand(RULES.engine()).run(new BufferedReader(new StringReader(input)), printer());

    List<String> lines = output().lines().toList();
    assertThat(lines).hasSize(4);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("id").asText()).isEqualTo("a");
    assertThat(first.get("cause").asText()).isEqualTo("GPU_HARDWARE");
    assertThat(first.get("action").asText()).isEqualTo("REQUEUE_EXCLUDE_NODE");
    // A PCI id names the GPU, never the node; the line names no host.
    assertThat(first.get("nodes")).isEmpty();
    assertThat(first.get("devices").toString()).isEqualTo("[\"0000:3b:00\"]");
    assertThat(JSON.readTree(lines.get(1)).get("error").asText()).contains("line 2");
    JsonNode third = JSON.readTree(lines.get(2));
    assertThat(third.get("id").asInt()).isEqualTo(7);
    assertThat(third.get("cause").asText()).isEqualTo("CRASH_SEGFAULT");
    assertThat(third.get("line").asText()).isEqualTo("Rank0: (1) segmentation fault: x");
    assertThat(JSON.readTree(lines.get(3)).get("action").asText()).isEqualTo("STOP");
  }
}
