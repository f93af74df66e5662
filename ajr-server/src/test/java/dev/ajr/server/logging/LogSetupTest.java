package dev.ajr.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The log as ajr sets it up: its two formats, its levels, and what the environment says. */
class LogSetupTest {

  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  LogSetupTest() {
    // A context of the test's own, as the service loader's would be: Logback's needs an MDC.
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  private void setUp(LoggingSettings settings) {
    LogSetup.apply(context, settings, out);
  }

  private List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void aTextLineStartsWithTheTimeOfDayAndItsZone() {
    setUp(LoggingSettings.DEFAULTS);

    context.getLogger("dev.ajr.server.app.AjrServer").info("ajr server started: {}", "api");

    assertThat(lines()).hasSize(1);
    String line = lines().get(0);
    assertThat(line)
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  \\[.+\\]"
                + " dev\\.ajr\\.server\\.app\\.AjrServer - ajr server started: api");
    OffsetDateTime.parse(line.substring(0, line.indexOf(' '))); // ISO-8601 with an offset
  }

  @Test
  void aJsonLineHoldsTimeLevelLoggerThreadMessageAndException() throws Exception {
    setUp(new LoggingSettings("info", LogFormat.JSON, Map.of()));
    Logger log = context.getLogger("dev.ajr.server.logs.LogFollowService");

    log.warn("cannot read {}:\nsecond line", "/work/a.out", new IllegalStateException("boom"));

    assertThat(lines()).hasSize(1);
    JsonNode entry = Json.MAPPER.readTree(lines().get(0));
    assertThat(entry.fieldNames())
        .toIterable()
        .containsExactly("time", "level", "logger", "thread", "message", "exception");
    OffsetDateTime.parse(entry.get("time").asText());
    assertThat(entry.get("level").asText()).isEqualTo("WARN");
    assertThat(entry.get("logger").asText()).isEqualTo("dev.ajr.server.logs.LogFollowService");
    assertThat(entry.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(entry.get("message").asText()).isEqualTo("cannot read /work/a.out:\nsecond line");
    assertThat(entry.get("exception").asText())
        .startsWith("java.lang.IllegalStateException: boom")
        .contains("at dev.ajr.server.logging.LogSetupTest");
  }

  @Test
  void levelsPerPackageBeatTheLevelOfEverything() {
    setUp(new LoggingSettings("warn", LogFormat.TEXT, Map.of("dev.ajr.server.logs", "debug")));

    context.getLogger("dev.ajr.server.logs.FileFollower").debug("followed");
    context.getLogger("dev.ajr.server.app.AjrServer").info("started");
    context.getLogger("dev.ajr.server.app.AjrServer").warn("careful");

    assertThat(lines()).hasSize(2);
    assertThat(lines().get(0)).endsWith("DEBUG [main] dev.ajr.server.logs.FileFollower - followed");
    assertThat(lines().get(1)).endsWith("careful");
  }

  @Test
  void flywayAndHikariSayOnlyWarningsUnlessNamed() {
    setUp(LoggingSettings.DEFAULTS);
    context.getLogger("org.flywaydb.core.FlywayExecutor").info("Migrating schema");
    context.getLogger("com.zaxxer.hikari.HikariDataSource").info("ajr-db - Starting...");
    assertThat(lines()).isEmpty();

    setUp(new LoggingSettings("info", LogFormat.TEXT, Map.of("org.flywaydb", "info")));
    context.getLogger("org.flywaydb.core.FlywayExecutor").info("Migrating schema");
    assertThat(lines()).singleElement().asString().endsWith("Migrating schema");
  }

  @Test
  void theEnvironmentSetsLevelAndFormatBeforeTheConfigurationIsRead() {
    assertThat(
            LogSetup.fromEnvironment(
                Map.of(LogSetup.LEVEL_ENV, "DEBUG", LogSetup.FORMAT_ENV, "json")))
        .isEqualTo(new LoggingSettings("debug", LogFormat.JSON, Map.of()));
    assertThat(LogSetup.fromEnvironment(Map.of(LogSetup.LEVEL_ENV, "loud")))
        .isEqualTo(LoggingSettings.DEFAULTS);
    assertThat(LogSetup.fromEnvironment(Map.of())).isEqualTo(LoggingSettings.DEFAULTS);
  }
}
