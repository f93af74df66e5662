package dev.ajr.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IngestOptionsTest {

  @Test
  void withoutOptionsTheHarnessMeasuresThousandJobsAtTenThousandLinesWithoutHostileJob() {
    IngestOptions o = IngestOptions.parse();

    assertThat(o).isEqualTo(new IngestOptions(1000, 10_000, 60, 15, 100, 1000, true, false, 1024));
  }

  @Test
  void hostileAloneMeansTrueWhereverItStands() {
    assertThat(IngestOptions.parse("--hostile").hostile()).isTrue();
    IngestOptions o = IngestOptions.parse("--hostile", "--seconds", "10", "--notifications");
    assertThat(o.hostile()).isTrue();
    assertThat(o.seconds()).isEqualTo(10);
    assertThat(o.notifications()).isTrue();
    assertThat(IngestOptions.parse("--seconds", "10", "--hostile", "false").hostile()).isFalse();
    assertThat(
            IngestOptions.parse("--notifications", "false", "--hostile", "--hostile-max-mb", "64"))
        .satisfies(p -> {
          assertThat(p.notifications()).isFalse();
          assertThat(p.hostile()).isTrue();
          assertThat(p.hostileMaxMegabytes()).isEqualTo(64);
        });
  }

  @Test
  void badOptionsAreRefusedWithAMessageNamingThem() {
    assertThatThrownBy(() -> IngestOptions.parse("--hostle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option --hostle");
    assertThatThrownBy(() -> IngestOptions.parse("--seconds", "--hostile"))
        .hasMessage("--seconds needs a value");
    assertThatThrownBy(() -> IngestOptions.parse("--files", "many"))
        .hasMessage("--files is a whole number, not many");
    assertThatThrownBy(() -> IngestOptions.parse("--rate", "0"))
        .hasMessage("--rate must be at least 1, not 0");
    assertThatThrownBy(() -> IngestOptions.parse("--hostile", "yes"))
        .hasMessage("--hostile is true or false (or alone, for true), not yes");
    assertThatThrownBy(() -> IngestOptions.parse("10")).hasMessageContaining("not 10");
  }
}
