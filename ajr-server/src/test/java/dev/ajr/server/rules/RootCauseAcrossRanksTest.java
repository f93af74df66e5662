package dev.ajr.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.diagnosis.Diagnoser;
import dev.ajr.core.diagnosis.Diagnosis;
import dev.ajr.core.diagnosis.Finding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine behind {@code ajr explain}: in a log where one rank hits a CUDA error and every other
 * rank then times out in NCCL, the CUDA error is the root, attributed to its rank.
 */
class RootCauseAcrossRanksTest {

  private final Diagnoser diagnoser = new Diagnoser(RuleCatalog.builtIn().engine());

  @Test
  void cudaErrorOnOneRankIsTheRootOfTheNcclTimeoutsOnTheOthers() throws IOException {
    List<String> lines = log("/logs/cuda-error-then-nccl-timeouts.log");

    Diagnosis d = diagnoser.diagnose(lines);

    assertThat(d.root()).isPresent();
    Finding root = d.root().get();
    assertThat(d.cause()).isEqualTo(Cause.CUDA_ERROR);
    assertThat(d.action()).isEqualTo(RecoveryAction.REQUEUE);
    assertThat(root.rank()).isEqualTo(3);
    assertThat(root.line())
        .startsWith("[rank3]: RuntimeError: CUDA error: an illegal memory access was encountered");
    assertThat(root.index()).isEqualTo(lines.indexOf(root.line()));
    // The timeouts were seen, on the other ranks, and explained as cascade symptoms.
    List<Finding> timeouts =
        d.findings().stream().filter(f -> f.rule().id().equals("nccl.watchdog-timeout")).toList();
    assertThat(timeouts).hasSizeGreaterThanOrEqualTo(7);
    assertThat(timeouts).extracting(Finding::rank).doesNotContain(3);
    assertThat(timeouts).allSatisfy(f -> assertThat(f.index()).isGreaterThan(root.index()));
    assertThat(d.notes()).anySatisfy(n -> assertThat(n).contains("cascade symptom"));
  }

  @Test
  void withoutTheCudaErrorTheTimeoutIsTheRoot() throws IOException {
    List<String> lines =
        log("/logs/cuda-error-then-nccl-timeouts.log").stream()
            .filter(l -> !l.contains("CUDA error:"))
            .toList();

    Diagnosis d = diagnoser.diagnose(lines);

    assertThat(d.cause()).isEqualTo(Cause.NCCL_ERROR);
    assertThat(d.action()).isEqualTo(RecoveryAction.REQUEUE);
    assertThat(d.root().orElseThrow().rule().id()).isIn("nccl.warn", "nccl.watchdog-timeout");
  }

  @Test
  void aStragglerReportAloneIsAdvisoryAndNeverOutranksAFailure() {
    String straggler =
        "STRAGGLER DETECTION WARNING: Some GPUs have worse relative performance. Affected ranks: [3]";

    Diagnosis alone = diagnoser.diagnose(List.of("step 100 | loss 2.1", straggler));
    assertThat(alone.cause()).isEqualTo(Cause.STRAGGLER);
    assertThat(alone.action()).isEqualTo(RecoveryAction.NONE);

    Diagnosis withCrash =
        diagnoser.diagnose(
            List.of(straggler, "RuntimeError: CUDA error: unspecified launch failure"));
    assertThat(withCrash.cause()).isEqualTo(Cause.CUDA_ERROR);
    assertThat(withCrash.action()).isEqualTo(RecoveryAction.REQUEUE);
  }

  private static List<String> log(String resource) throws IOException {
    try (InputStream in = RootCauseAcrossRanksTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
