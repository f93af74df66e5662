package dev.ajr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The flags built from the option declarations set the same options as ever. */
class ConfigFlagsTest {

  @Test
  void everyFlagSetsItsOption() {
    ConfigFlags.Parsed parsed =
        ConfigFlags.parse(
            List.of(
                "--port", "9090",
                "--host", "0.0.0.0",
                "--data-dir", "/var/lib/ajr",
                "--config", "/etc/ajr/ajr.yaml",
                "--db-url", "jdbc:postgresql://db/ajr",
                "--amqp-url", "amqp://mq/",
                "--rules", "/etc/ajr/rules"));

    assertThat(parsed.configFile()).isEqualTo(Path.of("/etc/ajr/ajr.yaml"));
    assertThat(parsed.overrides())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "server.port", "9090",
                "server.host", "0.0.0.0",
                "data-dir", "/var/lib/ajr",
                "database.url", "jdbc:postgresql://db/ajr",
                "events.amqp-url", "amqp://mq/",
                "rules.dir", "/etc/ajr/rules"));
  }

  @Test
  void aValueMayFollowAnEqualsSign() {
    ConfigFlags.Parsed parsed = ConfigFlags.parse(List.of("--port=9191", "--data-dir=/srv/ajr"));

    assertThat(parsed.overrides())
        .containsExactlyInAnyOrderEntriesOf(Map.of("server.port", "9191", "data-dir", "/srv/ajr"));
    assertThat(parsed.configFile()).isNull();
  }

  @Test
  void noFlagsSetNothing() {
    assertThat(ConfigFlags.parse(List.of()).overrides()).isEmpty();
  }
}
