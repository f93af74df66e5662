package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lines logged at start say what the server will do, and never a password. */
class StartupSummaryTest {

  private static String summary(Map<String, String> options) {
    return String.join("\n", ConfigLoader.load(null, options, Map.of()).startupSummary());
  }

  @Test
  void theModeIsInIt() {
    assertThat(summary(Map.of())).contains("mode: act on every partition");
    assertThat(summary(Map.of("recovery.mode", "observe")))
        .contains("mode: observe (decisions are recorded, Slurm is never touched)");
    assertThat(summary(Map.of("recovery.act-partitions", "gpu-prod,canary")))
        .contains("mode: act on partitions canary, gpu-prod; observe the others");
  }

  @Test
  void theDatabaseIsNamedWithoutItsPassword() {
    assertThat(summary(Map.of("data-dir", "/srv/ajr")))
        .contains("database: embedded SQLite /srv/ajr/ajr.db");
    String mariadb =
        summary(
            Map.of(
                "database.url",
                "jdbc:mariadb://ajr:s3cret@db.example:3306/ajr?password=s3cret",
                "database.user",
                "ajr"));
    assertThat(mariadb)
        .contains("database: MariaDB db.example:3306/ajr as ajr")
        .doesNotContain("s3cret");
    assertThat(summary(Map.of("database.url", "jdbc:postgresql://pg:5432/ajr")))
        .contains("database: PostgreSQL pg:5432/ajr");
  }

  @Test
  void theReplicaRoleAndTheIngestPathsAreInIt() {
    List<String> lines =
        ConfigLoader.load(
                null,
                Map.of(
                    "database.url", "jdbc:postgresql://pg/ajr",
                    "cluster.replicas", "true",
                    "cluster.replica-id", "ajr-a",
                    "logs.follow-files", "false",
                    "loki.url", "https://loki.example:3100"),
                Map.of())
            .startupSummary();

    String text = String.join("\n", lines);
    assertThat(text)
        .contains("replicas: replica ajr-a of several sharing the database, lease 6s")
        .contains("shared filesystem following off")
        .contains("node agents and Loki push accepted")
        .contains("Loki queried at https://loki.example:3100")
        .contains("notifications: off");
    assertThat(summary(Map.of())).contains("replicas: off (a single server)");
  }

  @Test
  void aUrlIsShownWithoutCredentials() {
    assertThat(
            StartupSummary.withoutCredentials(
                java.net.URI.create("https://u:pw@loki.example:3100/loki?token=abc123")))
        .isEqualTo("https://loki.example:3100/loki");
  }
}
