package dev.ajr.server.config;

import java.time.Duration;

/**
 * Several ajr servers sharing one database.
 *
 * @param replicas true when this server is one of several: it acts on Slurm only while it holds the
 *     leader lease
 * @param replicaId this server's name among the replicas
 * @param leaseDuration how long a lease holds without renewal: a dead leader is replaced within
 *     about this and a third of it
 */
public record ClusterConfig(boolean replicas, String replicaId, Duration leaseDuration) {}
