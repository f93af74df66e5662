package dev.ajr.server.config;

import java.time.Duration;

/**
 * How long history is kept.
 *
 * @param finishedJobs how long finished jobs, with their anomalies and decisions, are kept
 * @param interval how often old rows are pruned
 * @param auditKeep how long rows of the audit trail are kept
 */
public record RetentionConfig(Duration finishedJobs, Duration interval, Duration auditKeep) {}
