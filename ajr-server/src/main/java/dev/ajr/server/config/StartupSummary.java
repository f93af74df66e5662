package dev.ajr.server.config;

import dev.ajr.core.recovery.RecoveryMode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The lines {@link AjrConfig#startupSummary} logs at start; never a password or a token. */
final class StartupSummary {

  private StartupSummary() {}

  static List<String> of(AjrConfig c) {
    List<String> lines = new ArrayList<>();
    lines.add("mode: " + mode(c.recovery().mode()));
    lines.add("database: " + database(c));
    lines.add(
        "replicas: "
            + (c.cluster().replicas()
                ? "replica "
                    + c.cluster().replicaId()
                    + " of several sharing the database, lease "
                    + Durations.format(c.cluster().leaseDuration())
                : "off (a single server)"));
    lines.add("slurm: " + slurm(c.slurm()));
    lines.add("job output: " + ingest(c));
    lines.add(
        "notifications: "
            + (c.notifications().enabled()
                ? String.join(
                    ", ", c.notifications().destinations().stream().map(d -> d.name()).toList())
                : "off (no destinations)"));
    lines.add("metrics: " + metrics(c.metrics()));
    return lines;
  }

  private static String slurm(SlurmConfig s) {
    if (s.trackingPath() == SlurmConfig.TrackingPath.REST) {
      return "jobs read from slurmrestd at "
          + s.rest().where()
          + " as "
          + s.rest().user()
          + " with "
          + s.rest().token().source()
          + "; acting on jobs and the accounting with Slurm's commands";
    }
    return "jobs read with Slurm's commands (squeue "
        + (s.listingFormat() == dev.ajr.slurm.SlurmCliScheduler.ListingFormat.JSON
            ? "--json"
            : "in a narrow text format")
        + ")";
  }

  private static String metrics(MetricsConfig m) {
    String main =
        "/metrics on the API's port for operators"
            + (m.token().isEmpty() ? "" : " and the metrics token");
    return m.ownPort() ? main + "; open on " + m.host() + ":" + m.port() : main;
  }

  static String mode(RecoveryMode mode) {
    if (mode.observeAll()) {
      return "observe (decisions are recorded, Slurm is never touched)";
    }
    if (mode.actPartitions().isEmpty()) {
      return "act on every partition";
    }
    return "act on partitions "
        + String.join(", ", new TreeSet<>(mode.actPartitions()))
        + "; observe the others";
  }

  private static String database(AjrConfig c) {
    String url = c.database().url();
    if (url.isEmpty()) {
      return "embedded SQLite "
          + c.dataDir().resolve("ajr.db").toAbsolutePath().normalize()
          + " (no replicas)";
    }
    String rest = url.substring("jdbc:".length());
    String scheme = rest.substring(0, Math.max(0, rest.indexOf(':')));
    String kind =
        switch (scheme) {
          case "mariadb" -> "MariaDB";
          case "mysql" -> "MySQL";
          case "postgresql" -> "PostgreSQL";
          default -> "SQLite";
        };
    String where = rest.substring(scheme.length() + 1);
    if (where.startsWith("//")) {
      where = where.substring(2).replaceFirst("^[^@/]*@", "");
    }
    where = where.replaceFirst("[?;].*$", "");
    String user = c.database().user().isEmpty() ? "" : " as " + c.database().user();
    return kind + " " + where + user;
  }

  private static String ingest(AjrConfig c) {
    List<String> paths = new ArrayList<>();
    paths.add(
        "shared filesystem following "
            + (c.ingest().followFiles() ? "on" : "off (node agents or shippers send it)"));
    paths.add(
        "node agents and Loki push accepted with the token in " + c.ingest().agentTokenFile());
    paths.add(
        c.loki().enabled()
            ? "Loki queried at " + withoutCredentials(c.loki().settings().baseUrl())
            : "Loki query off");
    return String.join("; ", paths);
  }

  /** {@code scheme://host:port/path}: no user, password or query, which may hold a token. */
  static String withoutCredentials(URI url) {
    return url.getScheme().toLowerCase(Locale.ROOT)
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }
}
