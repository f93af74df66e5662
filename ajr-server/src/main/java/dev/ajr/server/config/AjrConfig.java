package dev.ajr.server.config;

import dev.ajr.server.logging.LoggingSettings;
import dev.ajr.server.logs.LogSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * The validated, frozen configuration of one {@code ajr server}, area by area. Every option, its
 * type, default and meaning is declared once in its area's class and listed in {@link
 * OptionCatalog} (and docs/configuration.md).
 *
 * @param dataDir where the embedded database and files are kept
 * @param rulesDir the operator's rule files, or null for the built-in rules only
 * @param settings every option as written, secrets hidden (the administrators' settings page)
 */
public record AjrConfig(
    ServerConfig server,
    Path dataDir,
    Path rulesDir,
    DatabaseConfig database,
    SlurmConfig slurm,
    LogSettings logs,
    IngestConfig ingest,
    LokiConfig loki,
    NodesConfig nodes,
    RecoveryConfig recovery,
    RetentionConfig retention,
    ClusterConfig cluster,
    EventsConfig events,
    NotificationsConfig notifications,
    WebConfig web,
    LdapConfig ldap,
    MetricsConfig metrics,
    LoggingSettings logging,
    List<EffectiveSettings.Setting> settings) {

  public AjrConfig {
    settings = List.copyOf(settings);
  }

  /**
   * What this server will do, for the log at start: the mode, the database (never a password), the
   * replica role, and where job output comes from and notifications go. One line each.
   */
  public List<String> startupSummary() {
    return StartupSummary.of(this);
  }
}
