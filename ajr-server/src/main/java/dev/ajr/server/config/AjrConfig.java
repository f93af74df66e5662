package dev.ajr.server.config;

import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.policy.PolicySettings;
import dev.ajr.core.progress.HangSettings;
import dev.ajr.core.recovery.ExecutorSettings;
import dev.ajr.core.recovery.RecoveryMode;
import dev.ajr.server.http.tls.TlsSettings;
import dev.ajr.server.logs.LogSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The validated, frozen configuration of one {@code ajr server}. Every option, its default and its
 * meaning are listed in {@link ConfigLoader#OPTIONS} and in the README.
 */
public record AjrConfig(
    String host,
    int port,
    Path dataDir,
    DatabaseConfig database,
    Path rulesDir,
    Duration slurmPollInterval,
    Duration slurmCommandTimeout,
    LogSettings logs,
    RequeueLimits requeueLimits,
    HangSettings hang,
    Duration cascadeSettle,
    RecoveryMode recoveryMode,
    PolicySettings policy,
    Duration retentionKeep,
    Duration retentionInterval,
    Duration retentionAuditKeep,
    ExecutorSettings executor,
    IngestConfig ingest,
    LokiConfig loki,
    NodesConfig nodes,
    ClusterConfig cluster,
    EventsConfig events,
    NotificationsConfig notifications,
    WebConfig web,
    TlsSettings tls,
    LdapConfig ldap,
    java.util.List<EffectiveSettings.Setting> settings) {

  /**
   * This configuration with every option's value as written, secrets hidden (the administrators'
   * settings page).
   */
  public AjrConfig withSettings(java.util.List<EffectiveSettings.Setting> shown) {
    return new AjrConfig(
        host,
        port,
        dataDir,
        database,
        rulesDir,
        slurmPollInterval,
        slurmCommandTimeout,
        logs,
        requeueLimits,
        hang,
        cascadeSettle,
        recoveryMode,
        policy,
        retentionKeep,
        retentionInterval,
        retentionAuditKeep,
        executor,
        ingest,
        loki,
        nodes,
        cluster,
        events,
        notifications,
        web,
        tls,
        ldap,
        java.util.List.copyOf(shown));
  }
}
