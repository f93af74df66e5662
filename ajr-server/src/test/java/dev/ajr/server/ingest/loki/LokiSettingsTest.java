package dev.ajr.server.ingest.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LokiSettingsTest {

  private static final URI LOKI = URI.create("http://loki:3100");
  private static final String SELECTOR = "{appName=\"slurm-app-log\"}";

  @Test
  void defaultsFollowTheReferenceWatcher() {
    LokiSettings settings = LokiSettings.builder(LOKI, SELECTOR).build();

    assertThat(settings.queryDelay()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.limit()).isEqualTo(5000);
    assertThat(settings.maxLookBack()).isEqualTo(Duration.ofHours(1));
    assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.maxLineBytes()).isEqualTo(64 * 1024);
    assertThat(settings.writtenAtPattern()).isNull();
    assertThat(settings.writtenAtZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(settings.tenant()).isNull();
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.query()).isEqualTo(SELECTOR);
  }

  @Test
  void theLineFilterIsAppendedToTheSelector() {
    assertThat(LokiSettings.builder(LOKI, SELECTOR).lineFilter(" |= \"NCCL\" ").build().query())
        .isEqualTo("{appName=\"slurm-app-log\"} |= \"NCCL\"");
    assertThat(LokiSettings.builder(LOKI, SELECTOR).lineFilter("  ").build().query())
        .isEqualTo(SELECTOR);
  }

  @Test
  void theSecretsAreNeverPrinted() {
    String basic =
        LokiSettings.builder(LOKI, SELECTOR).basicAuth("ajr", "hunter2").build().toString();
    String bearer = LokiSettings.builder(LOKI, SELECTOR).bearerToken("tok-123").build().toString();

    assertThat(basic).contains("basic (user ajr)").doesNotContain("hunter2");
    assertThat(bearer).contains("bearer token").doesNotContain("tok-123");
  }

  @Test
  void aWrittenAtPatternThatNeedsBacktrackingIsRefusedWithTheReason() {
    assertThatThrownBy(
            () -> LokiSettings.builder(LOKI, SELECTOR).writtenAt("^(?!x)(\\S+)", ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("written-at pattern ^(?!x)(\\S+) does not compile")
        .hasMessageContaining("linear time");
  }

  @Test
  void mistakesAreExplained() {
    assertThatThrownBy(() -> LokiSettings.builder(URI.create("loki:3100"), SELECTOR).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be http://host:port");
    assertThatThrownBy(
            () -> LokiSettings.builder(URI.create("http://u:p@loki:3100"), SELECTOR).build())
        .hasMessageContaining("must not hold credentials");
    assertThatThrownBy(() -> LokiSettings.builder(LOKI, "sum(rate({job=\"x\"}[5m]))").build())
        .hasMessageContaining("must be a LogQL stream selector");
    assertThatThrownBy(() -> LokiSettings.builder(LOKI, SELECTOR).lineFilter("NCCL").build())
        .hasMessageContaining("must be a LogQL line filter");
    assertThatThrownBy(() -> LokiSettings.builder(LOKI, SELECTOR).limit(0).build())
        .hasMessageContaining("limit must be at least 1");
    assertThatThrownBy(
            () -> LokiSettings.builder(LOKI, SELECTOR).queryDelay(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("query delay must not be negative");
    assertThatThrownBy(
            () -> LokiSettings.builder(LOKI, SELECTOR).writtenAt("^\\d{4}", ZoneOffset.UTC).build())
        .hasMessageContaining("needs a group");
    assertThatThrownBy(() ->
            LokiSettings.builder(LOKI, SELECTOR).basicAuth("ajr", "pw").bearerToken("t").build())
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> LokiSettings.builder(LOKI, SELECTOR).basicAuth("ajr", null).build())
        .hasMessageContaining("both a user and a password");
  }
}
