package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.notify.NoticeKind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationsConfigTest {

  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    return Files.writeString(dir.resolve("ajr.yaml"), text);
  }

  private AjrConfig load(String text) throws IOException {
    return ConfigLoader.load(yaml(text), Map.of(), Map.of());
  }

  @Test
  void offWithoutDestinations() {
    NotificationsConfig n = ConfigLoader.load(null, Map.of(), Map.of()).notifications();
    assertThat(n.enabled()).isFalse();
    assertThat(n.queueSize()).isEqualTo(10000);
    assertThat(n.retries()).isEqualTo(3);
    assertThat(n.retryBackoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(n.smtp().port()).isEqualTo(587);
    assertThat(n.smtp().tls()).isEqualTo(NotificationsConfig.Tls.OPTIONAL);
  }

  @Test
  void theReadmeExampleLoads() throws IOException {
    Path password = Files.writeString(dir.resolve("smtp.password"), "s3cret\n");
    Path slackUrl =
        Files.writeString(dir.resolve("slack.url"), "https://hooks.slack.com/services/T/B/X\n");
    AjrConfig c =
        load(
            """
            notifications:
              smtp:
                host: smtp.example.org
                user: ajr
                password-file: %s
                from: ajr@example.org
              destinations:
                - name: ops-slack
                  type: slack
                  url-file: %s
                  events: [anomaly, recovery-failed, job-stopped, node-drained, node-held]
                  partitions: [gpu]
                  digest-window: 60s
                  rate-limit: 10/1h
                - name: owners
                  type: email
                  to-owner: "{user}@example.org"
                  events: [job-stopped, recovery-failed]
                - name: oncall
                  type: email
                  to: [oncall@example.org]
                  causes: [GPU_HARDWARE, NETWORK_INFINIBAND]
                - name: incidents
                  type: webhook
                  url: http://incidents.example.org/ajr
            """
                .formatted(password, slackUrl));

    NotificationsConfig n = c.notifications();
    assertThat(n.destinations()).hasSize(4);
    NotificationsConfig.Destination slack = n.destinations().get(0);
    assertThat(slack.type()).isEqualTo(NotificationsConfig.Type.SLACK);
    assertThat(slack.url()).isEqualTo(URI.create("https://hooks.slack.com/services/T/B/X"));
    assertThat(slack.route().filter().kinds()).contains(NoticeKind.NODE_HELD).hasSize(5);
    assertThat(slack.route().filter().partitions()).containsExactly("gpu");
    assertThat(slack.route().rateLimit().messages()).isEqualTo(10);
    assertThat(slack.toString()).doesNotContain("hooks.slack.com");
    NotificationsConfig.Destination owners = n.destinations().get(1);
    assertThat(owners.route().toFixed()).isFalse();
    assertThat(owners.route().ownerPattern()).isEqualTo("{user}@example.org");
    assertThat(owners.route().window()).isEqualTo(Duration.ofSeconds(60));
    assertThat(n.destinations().get(2).to()).containsExactly("oncall@example.org");
    assertThat(n.smtp().password()).isEqualTo("s3cret");
    assertThat(n.smtp().toString()).doesNotContain("s3cret");
  }

  @Test
  void mistakesAreNamedWithTheFileTheDestinationAndTheKey() throws IOException {
    String file = dir.resolve("ajr.yaml").toString();
    expect(
        "notifications:\n  destinations:\n    - name: a\n      type: slack\n      url: http://x/\n      evnts: [anomaly]\n",
        file + ": notifications.destinations[0]: unknown key \"evnts\"; a destination has name,");
    expect(
        "notifications:\n  destinations:\n    - name: a\n      type: teams\n",
        file
            + ": notifications.destinations[0] (a): type must be slack, webhook or email, not \"teams\"");
    expect(
        "notifications:\n  destinations:\n    - name: a\n      type: slack\n      url: http://x/\n      events: [job-failed]\n",
        "(a): events: unknown event \"job-failed\"; the events are anomaly, recovery-done,");
    expect(
        "notifications:\n  destinations:\n    - name: a\n      type: webhook\n      url: http://x/\n      causes: [NCCL]\n",
        "(a): causes: unknown cause \"NCCL\"; the causes are");
    expect(
        "notifications:\n  destinations:\n    - name: a\n      type: email\n      to: [x@example.org]\n",
        "(a): an email destination needs notifications.smtp.host");
    expect(
        "notifications:\n  smtp:\n    host: h\n  destinations:\n    - name: a\n      type: email\n      to-owner: example.org\n",
        "(a): to-owner must be an address with {user} for the job's owner");
    expect(
        "notifications:\n  destinations:\n    - name: a\n      type: slack\n      url: http://x/\n      rate-limit: lots\n",
        "(a): rate-limit must be messages per time, like 20/1h, not \"lots\"");
    expect(
        "notifications:\n  destinations:\n    - name: a\n      type: slack\n",
        "(a): url (or url-file) is missing");
    expect(
        "notifications:\n  destinations:\n    - name: a\n      type: slack\n      url: ftp://x/\n",
        "(a): url \"ftp://x/\" is not an http:// or https:// URL");
    expect(
        "notifications:\n  destinations:\n    - {name: a, type: slack, url: 'http://x/'}\n    - {name: a, type: slack, url: 'http://y/'}\n",
        "notifications.destinations: the name \"a\" is used twice");
    expect(
        "notifications:\n  destinations:\n    name: a\n",
        file + ": notifications.destinations must be a list of destinations");
    expect(
        "notifications:\n  smtp:\n    user: ajr\n",
        file + ": notifications.smtp.user needs notifications.smtp.password-file");
    expect(
        "notifications:\n  smtp:\n    user: ajr\n    password-file: /nonexistent/pw\n",
        file + ": notifications.smtp.password-file /nonexistent/pw cannot be read");
    expect(
        "notifications:\n  smtp:\n    starttls: maybe\n",
        file + ": notifications.smtp.starttls must be off, optional or required, not \"maybe\"");
    expect(
        "notifications:\n  smtpp:\n    host: h\n",
        file + ": unknown option \"notifications.smtpp.host\"");
  }

  @Test
  void destinationsCannotBeGivenOnTheCommandLine() {
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of("notifications.destinations", "x"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "notifications.destinations is a list of mappings: set it in the configuration file");
  }

  private void expect(String text, String message) throws IOException {
    Path file = yaml(text);
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
