package dev.ajr.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToldJobsTest {

  @Test
  void jobsWaitOnceEachOldestFirst() {
    ToldJobs told = new ToldJobs(10);
    told.add(3);
    told.add(1);
    told.add(3);
    told.add(2);

    assertThat(told.take(2)).containsExactly(3L, 1L);
    assertThat(told.take(5)).containsExactly(2L);
    assertThat(told.isEmpty()).isTrue();
  }

  @Test
  void beyondItsCapacityANewJobIsDroppedButAWaitingOneIsStillTaken() {
    ToldJobs told = new ToldJobs(2);

    assertThat(told.add(1)).isTrue();
    assertThat(told.add(2)).isTrue();
    assertThat(told.add(3)).isFalse();
    assertThat(told.add(2)).isTrue();
    assertThat(told.take(10)).containsExactly(1L, 2L);
    assertThat(told.add(3)).isTrue();
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> new ToldJobs(0)).hasMessageContaining("at least 1");
  }
}
