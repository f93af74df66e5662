package dev.ajr.server.http;

import dev.ajr.server.config.EffectiveSettings;
import dev.ajr.server.rules.RuleCatalog;
import dev.ajr.server.store.SqlAuditLog;
import dev.ajr.server.store.SqlKpis;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the KPI, rule, audit, user and settings paths of the API read and act through.
 *
 * @param settings every option with its effective value (secrets already hidden)
 */
public record AdminEndpoints(
    SqlKpis kpis,
    RuleCatalog.Loaded rules,
    SqlAuditLog audit,
    Supplier<List<EffectiveSettings.Setting>> settings,
    Clock clock) {}
