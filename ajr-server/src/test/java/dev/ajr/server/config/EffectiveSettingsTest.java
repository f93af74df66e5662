package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which settings are secrets, and that a secret's value never shows. */
class EffectiveSettingsTest {

  @Test
  void secretsByNameAndUrlsWithCredentialsAreHidden() {
    Map<String, String> values =
        ConfigLoader.effectiveValues(
            null,
            Map.of(
                "loki.url", "https://loki.example/?token=abc123",
                "events.amqp-url", "amqp://mq.example:5672/",
                "notifications.smtp.password-file", "/etc/ajr/smtp"));
    Map<String, EffectiveSettings.Setting> byName =
        EffectiveSettings.of(values).stream()
            .collect(Collectors.toMap(EffectiveSettings.Setting::name, s -> s));

    assertThat(byName.get("loki.url").value()).isEqualTo(EffectiveSettings.SET);
    assertThat(byName.get("events.amqp-url").value()).isEqualTo("amqp://mq.example:5672/");
    assertThat(byName.get("events.amqp-url").secret()).isFalse();
    assertThat(byName.get("notifications.smtp.password-file").value())
        .isEqualTo(EffectiveSettings.SET);
    assertThat(byName.get("loki.bearer-token-file").value()).isEqualTo(EffectiveSettings.NOT_SET);
    assertThat(byName.get("notifications.destinations").secret()).isTrue();
    assertThat(byName.get("recovery.max-per-cause").secret()).isFalse();
    assertThat(byName.get("retention.audit-keep").value()).isEqualTo("365d");
  }

  @Test
  void urlCredentialsAreRecognised() {
    assertThat(EffectiveSettings.secretUrl("jdbc:postgresql://u:p@db/ajr")).isTrue();
    assertThat(EffectiveSettings.secretUrl("https://h/x?api_key=1")).isTrue();
    assertThat(EffectiveSettings.secretUrl("https://h/path@x")).isFalse();
    assertThat(EffectiveSettings.secretUrl("http://loki:3100")).isFalse();
    assertThat(EffectiveSettings.secretUrl("./ajr-data")).isFalse();
  }
}
