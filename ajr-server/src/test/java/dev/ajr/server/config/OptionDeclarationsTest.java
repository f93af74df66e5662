package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The declarations themselves: defaults of their own type, flags, secrets, names that nest. */
class OptionDeclarationsTest {

  @Test
  void everyFixedDefaultReadsBackAsItself() {
    for (Option<?> o : OptionCatalog.ALL) {
      assertRoundTrip(o);
    }
  }

  private static <T> void assertRoundTrip(Option<T> o) {
    o.defaultValue()
        .ifPresent(d -> assertThat(o.type().parse(o.type().format(d))).as(o.name()).isEqualTo(d));
  }

  @Test
  void theFlagsAreTheCommandLinesOptions() {
    Map<String, String> flags = new LinkedHashMap<>();
    OptionCatalog.flagged().forEach(o -> flags.put(o.flag().orElseThrow(), o.name()));

    assertThat(flags)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "--host", "server.host",
                "--port", "server.port",
                "--data-dir", "data-dir",
                "--rules", "rules.dir",
                "--db-url", "database.url",
                "--amqp-url", "events.amqp-url"));
  }

  @Test
  void theEnvironmentVariablesAreDeclaredWhereTheyApply() {
    Map<String, String> env = new LinkedHashMap<>();
    OptionCatalog.ALL.forEach(o -> o.env().ifPresent(e -> env.put(e, o.name())));

    assertThat(env)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "AJR_DB_USER", "database.user",
                "AJR_DB_PASSWORD", "database.password-file",
                "AJR_AMQP_PASSWORD", "events.amqp-password-file",
                "AJR_LDAP_BIND_PASSWORD", "auth.ldap.bind-password-file",
                "AJR_METRICS_TOKEN", "metrics.token-file",
                "SLURM_JWT", "slurm.rest.token-file",
                "AJR_LOG_LEVEL", "logging.level",
                "AJR_LOG_FORMAT", "logging.format"));
  }

  @Test
  void filesHoldingSecretsAndDestinationsAreSecret() {
    for (Option<?> o : OptionCatalog.ALL) {
      if (o.name().endsWith("password-file") || o.name().endsWith("token-file")) {
        assertThat(o.secret()).as(o.name()).isTrue();
      }
    }
    assertThat(NotificationOptions.DESTINATIONS.secret()).isTrue();
    assertThat(NodeOptions.REPAIR_WEBHOOK.secret()).isTrue();
    assertThat(ServerOptions.PORT.secret()).isFalse();
  }

  @Test
  void noOptionNameIsTheGroupOfAnother() {
    for (Option<?> o : OptionCatalog.ALL) {
      assertThat(OptionCatalog.isGroup(o.name())).as(o.name()).isFalse();
      assertThat(o.description()).as(o.name()).isNotBlank().doesNotEndWith(".");
    }
  }

  @Test
  void derivedDefaultsShowWhatTheyDependOn() {
    assertThat(IngestOptions.AGENT_TOKEN_FILE.shownDefault()).isEqualTo("<data-dir>/agent.token");
    assertThat(DatabaseOptions.USER.shownDefault()).isEqualTo("(AJR_DB_USER)");
    assertThat(LokiOptions.URL.shownDefault()).isEqualTo("(none)");
    assertThat(RecoveryOptions.ACT_PARTITIONS.shownDefault()).isEqualTo("(all)");
    assertThat(
            ConfigLoader.load(null, Map.of("data-dir", "/srv/ajr"), Map.of())
                .ingest()
                .agentTokenFile())
        .hasToString("/srv/ajr/agent.token");
  }

  @Test
  void urlOptionsAreTypedAsUrls() {
    for (Option<?> o :
        java.util.List.of(
            DatabaseOptions.URL, EventOptions.AMQP_URL, LokiOptions.URL, LdapOptions.URI)) {
      assertThat(o.type().kind()).as(o.name()).isEqualTo(OptionType.Kind.URL);
    }
  }
}
