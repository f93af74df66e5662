package dev.ajr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

  @Test
  void partsTheBuildCouldNotFillInAreUnknown() {
    Properties p = new Properties();
    p.setProperty("version", "0.1.0");
    p.setProperty("commit", "${git.commit.id.abbrev}");
    p.setProperty("built", "");

    assertThat(BuildInfo.of(p).line()).isEqualTo("ajr 0.1.0 (commit unknown, built unknown)");
    assertThat(BuildInfo.of(new Properties()).line())
        .isEqualTo("ajr unknown (commit unknown, built unknown)");
  }

  @Test
  void theBuildWritesTheProjectVersion() {
    assertThat(BuildInfo.current().version()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(BuildInfo.current().built()).matches("\\d{4}-\\d{2}-\\d{2}|unknown");
  }
}
