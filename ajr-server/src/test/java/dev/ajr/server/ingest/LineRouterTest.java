package dev.ajr.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.core.tracking.ActiveAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LineRouterTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  private record Routed(long jobId, int attempt, String node, String text) {}

  private final MutableClock clock = new MutableClock(T0);
  private final List<Routed> routed = new ArrayList<>();
  private final List<String> unattributed = new ArrayList<>();
  private final LineRouter router =
      new LineRouter(
          (jobId, attempt, node, line) -> routed.add(new Routed(jobId, attempt, node, line.text())),
          jobId -> jobId == 99 ? OptionalInt.of(4) : OptionalInt.empty(),
          (node, line) -> unattributed.add(node + ": " + line.text()),
          clock);

  private static ActiveAttempt running(long job, int attempt, Instant start, String... nodes) {
    return new ActiveAttempt(
        job, attempt, true, "/w", "/w/out-" + job, "/w/out-" + job, List.of(nodes), start);
  }

  private static ActiveAttempt waiting(long job, int attempt) {
    return new ActiveAttempt(job, attempt, false, "/w", "/w/out", "/w/out", List.of(), null);
  }

  private LogLine kernel(String text, Instant writtenAt) {
    return new LogLine(
        text, "node1:kmsg", 1, writtenAt, clock.instant(), false, Evidence.KERNEL_LOG);
  }

  private LogLine output(String text) {
    return new LogLine(
        text, "/w/out", 1, clock.instant(), clock.instant(), false, Evidence.JOB_OUTPUT);
  }

  @Test
  void sharedOutputGoesToTheRunningAttemptAndWhileWaitingToTheOneBefore() {
    router.update(List.of(running(7, 0, T0, "node1")));
    router.jobLine(7, -1, "", output("a"));
    clock.advance(Duration.ofSeconds(5));
    router.update(List.of(waiting(7, 1)));
    router.jobLine(7, -1, "", output("b"));
    clock.advance(Duration.ofSeconds(5));
    router.update(List.of(running(7, 1, clock.instant(), "node2")));
    router.jobLine(7, -1, "", output("c"));
    assertThat(routed).extracting(Routed::attempt).containsExactly(0, 0, 1);
  }

  @Test
  void aNamedAttemptIsKeptAndAnUnknownJobFallsBackToTheStore() {
    assertThat(router.jobLine(99, -1, "", output("late"))).isTrue();
    assertThat(router.jobLine(5, 2, "node3", output("step"))).isTrue();
    assertThat(router.jobLine(6, -1, "", output("nobody"))).isFalse();
    assertThat(routed)
        .containsExactly(new Routed(99, 4, "", "late"), new Routed(5, 2, "node3", "step"));
  }

  @Test
  void aKernelLineReachesTheAttemptsOnItsNodeAtThatTime() {
    router.update(List.of(running(1, 0, T0, "node1", "node2"), running(2, 0, T0, "node3")));
    clock.advance(Duration.ofSeconds(30));
    router.update(List.of(running(1, 0, T0, "node1", "node2"), running(2, 0, T0, "node3")));
    assertThat(router.kernelLine("node2", kernel("NVRM: Xid 79", T0.plusSeconds(20)))).isEqualTo(1);
    assertThat(routed).containsExactly(new Routed(1, 0, "node2", "NVRM: Xid 79"));
  }

  @Test
  void aKernelLineFromJustAfterTheJobEndedStillReachesIt() {
    router.update(List.of(running(1, 0, T0, "node1")));
    clock.advance(Duration.ofSeconds(1));
    router.update(List.of(running(1, 0, T0, "node1")));
    clock.advance(Duration.ofSeconds(1));
    router.update(List.of()); // the job ended between two reads
    clock.advance(Duration.ofMillis(300));
    router.kernelLine("node1", kernel("NVRM: Xid 79", T0.plusMillis(1500)));
    assertThat(routed).extracting(Routed::jobId).containsExactly(1L);
  }

  @Test
  void aKernelLineBeforeTheJobStartedOrLongAfterItEndedReachesNoJob() {
    router.update(List.of(running(1, 0, T0.plusSeconds(60), "node1")));
    router.kernelLine("node1", kernel("NVRM: Xid 79 (old)", T0));
    clock.advance(Duration.ofSeconds(90));
    router.update(List.of());
    router.kernelLine("node1", kernel("NVRM: Xid 79 (late)", T0.plusSeconds(200)));
    assertThat(routed).isEmpty();
    assertThat(unattributed)
        .containsExactly("node1: NVRM: Xid 79 (old)", "node1: NVRM: Xid 79 (late)");
  }

  @Test
  void aRequeuedJobsKernelLineGoesToTheAttemptThatRanThen() {
    router.update(List.of(running(1, 0, T0, "node1")));
    clock.advance(Duration.ofSeconds(60));
    router.update(List.of(waiting(1, 1)));
    clock.advance(Duration.ofSeconds(60));
    router.update(List.of(running(1, 1, clock.instant(), "node1")));
    router.kernelLine("node1", kernel("first", T0.plusSeconds(30)));
    router.kernelLine("node1", kernel("second", clock.instant().plusSeconds(1)));
    assertThat(routed)
        .containsExactly(new Routed(1, 0, "node1", "first"), new Routed(1, 1, "node1", "second"));
  }

  @Test
  void agentsLearnTheRunningJobsOfTheirNode() {
    router.update(
        List.of(running(1, 0, T0, "node1", "node2"), running(2, 3, T0, "node2"), waiting(3, 1)));
    assertThat(router.assignments("node2"))
        .extracting(LineRouter.Assignment::jobId, LineRouter.Assignment::batchHost)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, false),
            org.assertj.core.groups.Tuple.tuple(2L, true));
    assertThat(router.assignments("node4")).isEmpty();
    router.update(List.of());
    assertThat(router.assignments("node2")).isEmpty();
  }

  @Test
  void jobsGoneLongerThanTheMemoryAreForgotten() {
    router.update(List.of(running(1, 0, T0, "node1")));
    clock.advance(LineRouter.REMEMBER.plusSeconds(1));
    router.update(List.of());
    clock.advance(Duration.ofSeconds(1));
    router.update(List.of());
    assertThat(router.jobLine(1, -1, "", output("x"))).isFalse();
  }
}
