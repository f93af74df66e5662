package dev.ajr.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StragglerDetectorTest {

  private final StragglerDetector detector = new StragglerDetector(StragglerSettings.DEFAULTS);

  private void run(int rank, int iterations, double seconds) {
    for (int i = 0; i < iterations; i++) {
      detector.iteration(rank, seconds);
    }
  }

  @Test
  void aSteadyRankIsNoStraggler() {
    run(0, 100, 1.0);

    assertThat(detector.check()).isEmpty();
  }

  @Test
  void aSustainedSlowdownOfOneRankIsReportedOnceWithItsRank() {
    run(0, 25, 1.0);
    run(3, 25, 1.0);
    run(3, 10, 2.0);
    run(0, 10, 1.0);

    assertThat(detector.check())
        .singleElement()
        .satisfies(t -> assertThat(t).contains("rank 3", "2.0x its baseline of 1.00 s"));
    assertThat(detector.slowestRank()).contains(3);
    run(3, 5, 2.0);
    assertThat(detector.check()).isEmpty();
  }

  @Test
  void oneSlowIterationSuchAsACheckpointSaveIsHarmless() {
    run(0, 25, 1.0);
    detector.iteration(0, 60.0);
    run(0, 9, 1.0);

    assertThat(detector.check()).isEmpty();
  }

  @Test
  void warmupIterationsDoNotMakeTheBaseline() {
    run(0, 5, 30.0); // compilation at the start
    run(0, 20, 1.0);
    run(0, 10, 1.1);

    assertThat(detector.check()).isEmpty();
  }

  @Test
  void aRankThatRecoversAndSlowsDownAgainIsReportedAgain() {
    run(1, 25, 1.0);
    run(1, 10, 3.0);
    assertThat(detector.check()).hasSize(1);
    run(1, 10, 1.0);
    assertThat(detector.check()).isEmpty();
    run(1, 10, 3.0);
    assertThat(detector.check()).hasSize(1);
  }
}
