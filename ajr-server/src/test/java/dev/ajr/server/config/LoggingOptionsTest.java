package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.server.logging.LogFormat;
import dev.ajr.server.logging.LoggingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logging.* and metrics.* options as the configuration file and the environment set them. */
class LoggingOptionsTest {

  @TempDir Path dir;

  private AjrConfig load(String yaml, Map<String, String> env) throws Exception {
    Path file = Files.writeString(dir.resolve("ajr.yaml"), yaml);
    return ConfigLoader.load(file, Map.of(), env);
  }

  @Test
  void levelsPerPackageFormatAndLevelComeFromTheFile() throws Exception {
    AjrConfig c =
        load(
            """
            logging:
              level: warn
              format: json
              levels:
                dev.ajr.server.logs: debug
                org.flywaydb: INFO
            """,
            Map.of());

    assertThat(c.logging())
        .isEqualTo(
            new LoggingSettings(
                "warn",
                LogFormat.JSON,
                Map.of("dev.ajr.server.logs", "debug", "org.flywaydb", "info")));
  }

  @Test
  void theEnvironmentFillsInLevelAndFormatAndTheFileWins() throws Exception {
    Map<String, String> env = Map.of("AJR_LOG_LEVEL", "debug", "AJR_LOG_FORMAT", "json");
    assertThat(load("{}\n", env).logging())
        .isEqualTo(new LoggingSettings("debug", LogFormat.JSON, Map.of()));
    assertThat(load("logging:\n  level: error\n", env).logging().level()).isEqualTo("error");
  }

  @Test
  void anUnknownLevelIsNamedWithItsOptionAndLine() {
    assertThatThrownBy(() -> load("logging:\n  levels:\n    dev.ajr: loud\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("logging.levels")
        .hasMessageContaining("dev.ajr")
        .hasMessageContaining("off, error, warn, info, debug, trace");
    assertThatThrownBy(() -> load("logging:\n  format: xml\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("logging.format")
        .hasMessageContaining("line 2");
  }

  @Test
  void theMetricsTokenIsReadFromItsFileAndNeverShown() throws Exception {
    Path token = Files.writeString(dir.resolve("metrics.token"), "t0ken-of-the-scraper\n");
    AjrConfig c = load("metrics:\n  port: 9464\n  token-file: " + token + "\n", Map.of());

    assertThat(c.metrics().token()).isEqualTo("t0ken-of-the-scraper");
    assertThat(c.metrics().port()).isEqualTo(9464);
    assertThat(c.metrics().host()).isEqualTo("127.0.0.1");
    assertThat(c.metrics().toString()).doesNotContain("t0ken");
    assertThat(String.join("\n", c.startupSummary())).doesNotContain("t0ken");
  }

  @Test
  void theMetricsPortMustDifferFromTheApisPort() {
    assertThatThrownBy(() -> load("server:\n  port: 9000\nmetrics:\n  port: 9000\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics.port must differ from server.port");
  }
}
