package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    return Files.writeString(dir.resolve("ajr.yaml"), text);
  }

  @Test
  void defaultsApplyWithoutFileOrOverrides() {
    AjrConfig c = ConfigLoader.load(null, Map.of());

    assertThat(c.server().host()).isEqualTo("127.0.0.1");
    assertThat(c.server().port()).isEqualTo(8080);
    assertThat(c.dataDir()).isEqualTo(Path.of("./ajr-data"));
    assertThat(c.database().url()).isEmpty();
    assertThat(c.recovery().limits().defaultMax()).isEqualTo(3);
    assertThat(c.recovery().limits().cap()).isEqualTo(10);
    assertThat(c.slurm().pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.slurm().commandTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.logs().pollInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.logs().maxLineBytes()).isEqualTo(65536);
    assertThat(c.logs().maxBytesPerPoll()).isEqualTo(4194304);
    assertThat(c.logs().grace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.logs().notifications()).isTrue();
    assertThat(c.logs().safetyPollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.logs().handlerThreads())
        .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
    assertThat(c.logs().maxQueuedBytes()).isEqualTo(262144);
    assertThat(c.recovery().executor().actionDeadline()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void theDefaultsMatchTheDocumentedOptionTable() {
    AjrConfig c = ConfigLoader.load(null, Map.of());
    Map<String, String> documented =
        OptionCatalog.ALL.stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    dev.ajr.server.config.option.Option::name,
                    dev.ajr.server.config.option.Option::shownDefault));

    assertThat(Durations.parse(documented.get("logs.scan-interval")))
        .isEqualTo(c.logs().scanInterval());
    assertThat(Durations.parse(documented.get("recovery.verify-poll")))
        .isEqualTo(c.recovery().executor().verifyPoll());
    assertThat(Durations.parse(documented.get("recovery.verify-timeout")))
        .isEqualTo(c.recovery().executor().verifyTimeout());
  }

  @Test
  void aYamlFileOverridesNestedOptionsAndLeavesTheOthersAtTheirDefaults() throws IOException {
    Path file =
        yaml(
            """
            server:
              host: 0.0.0.0
              port: 9090
            data-dir: /var/lib/ajr
            logs:
              grace: 30s
              max-line-bytes: 1024
              handler-threads: 3
            recovery:
              default-max-requeue-times: 5
              max-requeue-times-cap: 7
              action-deadline: 1h
            """);

    AjrConfig c = ConfigLoader.load(file, Map.of());

    assertThat(c.server().host()).isEqualTo("0.0.0.0");
    assertThat(c.server().port()).isEqualTo(9090);
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/ajr"));
    assertThat(c.logs().grace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.logs().maxLineBytes()).isEqualTo(1024);
    assertThat(c.logs().handlerThreads()).isEqualTo(3);
    assertThat(c.logs().pollInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.recovery().limits().defaultMax()).isEqualTo(5);
    assertThat(c.recovery().limits().cap()).isEqualTo(7);
    assertThat(c.recovery().executor().actionDeadline()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void anEmptyFileMeansTheDefaults() throws IOException {
    AjrConfig c = ConfigLoader.load(yaml(""), Map.of());

    assertThat(c.server().port()).isEqualTo(8080);
  }

  @Test
  void anUnknownOptionInTheFileIsRejectedNamingItAndTheFile() throws IOException {
    Path file = yaml("server:\n  prot: 9090\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.prot")
        .hasMessageContaining(file.toString());
  }

  @Test
  void notificationsAreSwitchedOffByFalseAndNothingElse() {
    assertThat(
            ConfigLoader.load(null, Map.of("logs.notifications", "false")).logs().notifications())
        .isFalse();
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("logs.notifications", "off")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("logs.notifications must be true or false, not off");
  }

  @Test
  void aFileThatIsNotAMappingIsRejected() throws IOException {
    Path file = yaml("- a\n- b\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("mapping");
  }

  @Test
  void aMissingFileIsAConfigException() {
    Path missing = dir.resolve("missing.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aBadDurationIsRejectedWithTheOptionAndAnExample() throws IOException {
    Path file = yaml("logs:\n  grace: soon\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("logs.grace")
        .hasMessageContaining("\"soon\" is not a duration")
        .hasMessageContaining(file.toString());
  }

  @Test
  void aDurationTooLargeToHoldIsAConfigException() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("logs.grace", "9999999999999999h")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("logs.grace");
  }

  @Test
  void aZeroDurationIsRejected() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("slurm.poll-interval", "0s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("slurm.poll-interval must be more than 0");
  }

  @Test
  void aPortThatIsNotANumberOrOutOfRangeIsRejected() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("server.port", "http")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.port must be a whole number");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("server.port", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.port must be from 0 to 65535, not 70000");
  }

  @Test
  void aDefaultMaxRequeueTimesAboveTheCapIsRejected() throws IOException {
    Path file = yaml("recovery:\n  default-max-requeue-times: 12\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recovery.default-max-requeue-times (12)")
        .hasMessageContaining("above recovery.max-requeue-times-cap (10)");
  }

  @Test
  void anUnsupportedDatabaseUrlIsRefusedAndItsPasswordIsNotShown() {
    assertThatThrownBy(() ->
            ConfigLoader.load(
                null, Map.of("database.url", "jdbc:oracle://ajr:s3cret@db.example/ajr")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not supported")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void databaseCredentialsComeFromTheEnvironmentOrAPasswordFile(@TempDir Path dir)
      throws Exception {
    AjrConfig fromEnv =
        ConfigLoader.load(
            null,
            Map.of("database.url", "jdbc:mariadb://127.0.0.1:3306/ajr"),
            Map.of("AJR_DB_USER", "ajr", "AJR_DB_PASSWORD", "s3cret"));
    assertThat(fromEnv.database().user()).isEqualTo("ajr");
    assertThat(fromEnv.database().password()).isEqualTo("s3cret");
    assertThat(fromEnv.database().toString()).doesNotContain("s3cret");

    Path file = dir.resolve("db-password");
    java.nio.file.Files.writeString(file, "from-file\n");
    AjrConfig fromFile =
        ConfigLoader.load(
            null,
            Map.of(
                "database.url",
                "jdbc:postgresql://127.0.0.1/ajr",
                "database.password-file",
                file.toString()),
            Map.of("AJR_DB_PASSWORD", "s3cret"));
    assertThat(fromFile.database().password()).isEqualTo("from-file");
    assertThat(fromFile.database().poolSize()).isEqualTo(8);
  }

  @Test
  void aSqliteDatabaseUrlIsAccepted() {
    AjrConfig c = ConfigLoader.load(null, Map.of("database.url", "jdbc:sqlite:/tmp/x.db"));

    assertThat(c.database().url()).isEqualTo("jdbc:sqlite:/tmp/x.db");
  }

  @Test
  void commandLineOverridesBeatTheFile() throws IOException {
    Path file = yaml("server:\n  port: 9090\nlogs:\n  grace: 30s\n");

    AjrConfig c = ConfigLoader.load(file, Map.of("server.port", "9191", "data-dir", "/srv/ajr"));

    assertThat(c.server().port()).isEqualTo(9191);
    assertThat(c.dataDir()).isEqualTo(Path.of("/srv/ajr"));
    assertThat(c.logs().grace()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void anUnknownOverrideIsRejected() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("server.prot", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown option server.prot");
  }

  @Test
  void recoveryModeAndActPartitionsAreRead() throws IOException {
    assertThat(ConfigLoader.load(null, Map.of()).recovery().mode().actsOn("any")).isTrue();
    assertThat(
            ConfigLoader.load(null, Map.of("recovery.mode", "observe"))
                .recovery()
                .mode()
                .actsOn("any"))
        .isFalse();
    Path file = dir.resolve("modes.yaml");
    Files.writeString(file, "recovery:\n  act-partitions: [gpu-prod, canary]\n");
    var mode = ConfigLoader.load(file, Map.of()).recovery().mode();
    assertThat(mode.actsOn("canary")).isTrue();
    assertThat(mode.actsOn("debug")).isFalse();
    assertThat(mode.observeReason("debug")).contains("debug", "recovery.act-partitions");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("recovery.mode", "yolo")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("act or observe");
  }

  @Test
  void thePolicyRulesDefaultToTheDocumentedSettings() {
    assertThat(ConfigLoader.load(null, Map.of()).recovery().policy())
        .isEqualTo(dev.ajr.core.policy.PolicySettings.DEFAULTS)
        .isEqualTo(
            new dev.ajr.core.policy.PolicySettings(
                3, true, 3, 3, Duration.ofMinutes(5), 5, 50, Duration.ofHours(1)));
  }

  @Test
  void thePolicyRulesAreReadFromTheFile() throws IOException {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(
        file,
        "recovery:\n  max-per-cause: 2\n  reset-on-progress: false\n"
            + "  stop-without-checkpoint: 0\n  early-stop-attempts: 4\n"
            + "  early-stop-within: 90s\n  job-storm-limit: 8\n  cluster-storm-limit: 200\n"
            + "  storm-window: 30m\n");

    assertThat(ConfigLoader.load(file, Map.of()).recovery().policy())
        .isEqualTo(
            new dev.ajr.core.policy.PolicySettings(
                2, false, 0, 4, Duration.ofSeconds(90), 8, 200, Duration.ofMinutes(30)));
  }

  @Test
  void badPolicySettingsAreRejectedNamingTheOption() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("recovery.max-per-cause", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recovery.max-per-cause");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("recovery.reset-on-progress", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recovery.reset-on-progress");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("recovery.storm-window", "0s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recovery.storm-window");
  }

  @Test
  void eventsStayInTheProcessByDefault() {
    AjrConfig c = ConfigLoader.load(null, Map.of(), Map.of());

    assertThat(c.events().amqpEnabled()).isFalse();
  }

  @Test
  void anAmqpUrlSendsEventsToRabbitMq() {
    AjrConfig c =
        ConfigLoader.load(
            null,
            Map.of("events.amqp-url", "amqp://ajr:s3cret@mq.example:5673/prod%2Fajr"),
            Map.of());

    var amqp = c.events().amqp();
    assertThat(amqp.host()).isEqualTo("mq.example");
    assertThat(amqp.port()).isEqualTo(5673);
    assertThat(amqp.vhost()).isEqualTo("prod/ajr");
    assertThat(amqp.user()).isEqualTo("ajr");
    assertThat(amqp.password()).isEqualTo("s3cret");
    assertThat(amqp.exchange()).isEqualTo("ajr.events");
    assertThat(amqp.keepSent()).isEqualTo(Duration.ofDays(1));
    assertThat(amqp.maxUnsent()).isEqualTo(1_000_000);
    assertThat(amqp.toString()).doesNotContain("s3cret");
    assertThat(c.toString()).doesNotContain("s3cret");
  }

  @Test
  void theDefaultVirtualHostIsSlash() {
    AjrConfig c = ConfigLoader.load(null, Map.of("events.amqp-url", "amqp://127.0.0.1/"), Map.of());

    assertThat(c.events().amqp().vhost()).isEqualTo("/");
    assertThat(c.events().amqp().port()).isEqualTo(5672);
    assertThat(c.events().amqp().user()).isEqualTo("guest");
  }

  @Test
  void theAmqpPasswordComesFromAFileOrTheEnvironment(@TempDir Path dir) throws Exception {
    String url = "amqp://ajr:in-url@127.0.0.1:5672/ajr";
    AjrConfig fromEnv =
        ConfigLoader.load(
            null, Map.of("events.amqp-url", url), Map.of("AJR_AMQP_PASSWORD", "from-env"));
    assertThat(fromEnv.events().amqp().password()).isEqualTo("from-env");

    Path file = Files.writeString(dir.resolve("amqp-password"), "from-file\n");
    AjrConfig fromFile =
        ConfigLoader.load(
            null,
            Map.of("events.amqp-url", url, "events.amqp-password-file", file.toString()),
            Map.of("AJR_AMQP_PASSWORD", "from-env"));
    assertThat(fromFile.events().amqp().password()).isEqualTo("from-file");
  }

  @Test
  void aWrongAmqpUrlIsNamedWithoutItsPassword() {
    for (String url :
        List.of(
            "http://ajr:s3cret@127.0.0.1:5672/",
            "amqp://ajr:s3cret@/vhost",
            "amqp://ajr:s3cret@host/a/b",
            "amqp://ajr:s3cret@host:port/")) {
      assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("events.amqp-url", url), Map.of()))
          .as(url)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("events.amqp-url")
          .hasMessageNotContaining("s3cret");
    }
  }

  @Test
  void eventOptionsAreChecked() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("events.exchange", "amq.topic")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("events.exchange");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("events.outbox-max-unsent", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("events.outbox-max-unsent");
    AjrConfig c =
        ConfigLoader.load(
            null,
            Map.of(
                "events.amqp-url", "amqp://127.0.0.1",
                "events.exchange", "site.ajr",
                "events.outbox-keep-sent", "2h",
                "events.outbox-max-unsent", "5000"),
            Map.of());
    assertThat(c.events().amqp().exchange()).isEqualTo("site.ajr");
    assertThat(c.events().amqp().keepSent()).isEqualTo(Duration.ofHours(2));
    assertThat(c.events().amqp().maxUnsent()).isEqualTo(5000);
  }
}
