package dev.ajr.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NotificationPlannerTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final RateLimit GENEROUS = new RateLimit(1000, Duration.ofHours(1));

  private static Notice failure(long job, String cause, String node, String partition, int atSec) {
    return new Notice(
        NoticeKind.ANOMALY,
        T0.plusSeconds(atSec),
        job,
        "train",
        "u" + (job % 3),
        partition,
        cause,
        node,
        "job " + job + ": " + cause + " on " + node);
  }

  private static Notice node(NoticeKind kind, String node, int atSec) {
    return new Notice(kind, T0.plusSeconds(atSec), 0, "", "", "", "", node, "node " + node);
  }

  private static Route route(String name, NoticeFilter filter, int windowSec, RateLimit limit) {
    return new Route(name, filter, true, null, Duration.ofSeconds(windowSec), limit);
  }

  @Test
  void anIncidentOf200FailuresIsOneMessage() {
    NotificationPlanner p =
        new NotificationPlanner(List.of(route("ops", NoticeFilter.ALL, 60, GENEROUS)));
    for (int i = 0; i < 200; i++) {
      String cause = i < 180 ? "NCCL_ERROR" : "GPU_HARDWARE";
      p.offer(failure(1000 + i, cause, "gpu-" + (i % 37), "gpu", i % 59));
    }
    p.offer(node(NoticeKind.NODE_HELD, "gpu-3", 30));
    p.offer(node(NoticeKind.NODE_HELD, "gpu-4", 31));
    p.offer(node(NoticeKind.NODE_DRAINED, "gpu-5", 32));

    assertThat(p.due(T0.plusSeconds(59))).isEmpty();
    List<Digest> out = p.due(T0.plusSeconds(60));

    assertThat(out).hasSize(1);
    Digest d = out.get(0);
    assertThat(d.total()).isEqualTo(203);
    assertThat(d.notices()).hasSize(NotificationPlanner.DEFAULT_SAMPLE_SIZE);
    assertThat(DigestText.summary(d))
        .isEqualTo(
            "200 jobs failed on 37 nodes in 58 s: 180 NCCL_ERROR, 20 GPU_HARDWARE;"
                + " nodes drained: gpu-5; nodes held: gpu-3, gpu-4");
    assertThat(DigestText.body(d)).contains("... and 183 more");
    assertThat(p.openDigests()).isZero();
  }

  static Stream<Arguments> filters() {
    Notice ncclGpu = failure(1, "NCCL_ERROR", "n1", "gpu", 0);
    Notice oomCpu = failure(2, "OOM_HOST", "n2", "cpu", 0);
    Notice drained = node(NoticeKind.NODE_DRAINED, "n3", 0);
    Notice stopped =
        new Notice(NoticeKind.JOB_STOPPED, T0, 4, "x", "u", "gpu", "NCCL_ERROR", "", "stopped");
    List<Notice> all = List.of(ncclGpu, oomCpu, drained, stopped);
    return Stream.of(
        Arguments.of("everything", NoticeFilter.ALL, all, 4),
        Arguments.of(
            "by kind",
            new NoticeFilter(
                Set.of(NoticeKind.NODE_DRAINED, NoticeKind.JOB_STOPPED), Set.of(), Set.of()),
            all,
            2),
        Arguments.of(
            "by cause", new NoticeFilter(Set.of(), Set.of("NCCL_ERROR"), Set.of()), all, 2),
        Arguments.of("by partition", new NoticeFilter(Set.of(), Set.of(), Set.of("cpu")), all, 1),
        Arguments.of(
            "kind and partition",
            new NoticeFilter(Set.of(NoticeKind.ANOMALY), Set.of(), Set.of("gpu")),
            all,
            1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filters")
  void rulesChooseWhatADestinationGets(
      String name, NoticeFilter filter, List<Notice> notices, int expected) {
    NotificationPlanner p = new NotificationPlanner(List.of(route("d", filter, 0, GENEROUS)));
    notices.forEach(p::offer);

    List<Digest> out = p.due(T0);

    int total = out.stream().mapToInt(Digest::total).sum();
    assertThat(total).isEqualTo(expected);
  }

  @Test
  void ownersGetTheirOwnJobsOnlyAndNodeNoticesGoToNoOwner() {
    Route owners =
        new Route(
            "owners",
            NoticeFilter.ALL,
            false,
            "{user}@example.org",
            Duration.ofSeconds(60),
            GENEROUS);
    NotificationPlanner p = new NotificationPlanner(List.of(owners));
    for (int i = 0; i < 9; i++) {
      p.offer(failure(i, "NCCL_ERROR", "n1", "gpu", i));
    }
    p.offer(node(NoticeKind.NODE_DRAINED, "n1", 1));

    List<Digest> out = p.due(T0.plusSeconds(62));

    assertThat(out)
        .extracting(Digest::recipient)
        .containsExactlyInAnyOrder("u0@example.org", "u1@example.org", "u2@example.org");
    assertThat(out).allSatisfy(d -> assertThat(d.total()).isEqualTo(3));
  }

  /** Each row: notices arrive at these seconds; the rate limit is 2 per 60 s; window 10 s. */
  static Stream<Arguments> rateLimitTable() {
    return Stream.of(
        // arrivals, check times, digests sent at each check
        Arguments.of(List.of(0), List.of(9, 10), List.of(0, 1)),
        Arguments.of(List.of(0, 5, 9), List.of(10), List.of(1)),
        // three bursts: the third is held until the first send leaves the 60 s window
        Arguments.of(List.of(0, 20, 40), List.of(10, 30, 50, 69, 70), List.of(1, 1, 0, 0, 1)),
        // while held, later notices join the held digest: one message for them all
        Arguments.of(List.of(0, 20, 40, 45, 66), List.of(10, 30, 50, 70), List.of(1, 1, 0, 1)));
  }

  @ParameterizedTest
  @MethodSource("rateLimitTable")
  void theRateLimitHoldsDigestsBackAndMergesThem(
      List<Integer> arrivals, List<Integer> checks, List<Integer> sentAtCheck) {
    NotificationPlanner p =
        new NotificationPlanner(
            List.of(route("d", NoticeFilter.ALL, 10, new RateLimit(2, Duration.ofSeconds(60)))));
    List<Integer> sent = new ArrayList<>();
    int next = 0;
    int delivered = 0;
    for (int check : checks) {
      while (next < arrivals.size() && arrivals.get(next) <= check) {
        p.offer(failure(next, "NCCL_ERROR", "n", "gpu", arrivals.get(next)));
        next++;
      }
      List<Digest> out = p.due(T0.plusSeconds(check));
      sent.add(out.size());
      delivered += out.stream().mapToInt(Digest::total).sum();
    }
    assertThat(sent).isEqualTo(sentAtCheck);
    assertThat(p.openDigests()).isZero();
    assertThat(delivered).as("nothing is lost, only merged").isEqualTo(arrivals.size());
  }

  @Test
  void nextDueSaysWhenToLookAgain() {
    NotificationPlanner p =
        new NotificationPlanner(
            List.of(route("d", NoticeFilter.ALL, 30, new RateLimit(1, Duration.ofMinutes(10)))));
    assertThat(p.nextDue(T0)).isEmpty();
    p.offer(failure(1, "NCCL_ERROR", "n", "gpu", 0));
    assertThat(p.nextDue(T0)).contains(T0.plusSeconds(30));
    assertThat(p.due(T0.plusSeconds(30))).hasSize(1);
    p.offer(failure(2, "NCCL_ERROR", "n", "gpu", 40));
    assertThat(p.nextDue(T0.plusSeconds(40)))
        .contains(T0.plusSeconds(30).plus(Duration.ofMinutes(10)));
  }

  @Test
  void droppedEventsAreSummarisedToFixedRecipients() {
    NotificationPlanner p =
        new NotificationPlanner(
            List.of(
                route("ops", NoticeFilter.ALL, 5, GENEROUS),
                new Route(
                    "owners", NoticeFilter.ALL, false, "{user}@x.org", Duration.ZERO, GENEROUS)));
    p.dropped(Map.of("AnomalyDetected", 120L, "NodeChanged", 3L), T0);

    List<Digest> out = p.due(T0.plusSeconds(5));

    assertThat(out).hasSize(1);
    assertThat(DigestText.summary(out.get(0)))
        .isEqualTo(
            "123 events not looked at (notification queue full): 120 AnomalyDetected, 3 NodeChanged");
  }

  @Test
  void aSingleNoticeIsSentInItsOwnWords() {
    NotificationPlanner p =
        new NotificationPlanner(List.of(route("d", NoticeFilter.ALL, 0, GENEROUS)));
    p.offer(new Notice(NoticeKind.RECOVERY_DONE, T0, 7, "n", "u", "p", "", "", "job 7: recovered"));

    Digest d = p.due(T0).get(0);

    assertThat(DigestText.summary(d)).isEqualTo("job 7: recovered");
    assertThat(DigestText.subject(d)).isEqualTo("[ajr] job 7: recovered");
  }
}
