package dev.ajr.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.node.NodeSettings;
import dev.ajr.core.policy.PolicySettings;
import dev.ajr.core.progress.HangSettings;
import dev.ajr.core.recovery.ExecutorSettings;
import dev.ajr.core.recovery.RecoveryMode;
import dev.ajr.server.http.tls.TlsSettings;
import dev.ajr.server.ingest.StreamLabels;
import dev.ajr.server.ingest.loki.LokiSettings;
import dev.ajr.server.logs.LogSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link AjrConfig} from defaults, an optional YAML file, and command-line overrides, in
 * that order. Unknown options, values of the wrong kind and contradictions are rejected with a
 * message naming the option; nothing is guessed.
 */
public final class ConfigLoader {

  /** One option: its dotted name in the YAML file, its default, and what it means. */
  public record Option(String name, String defaultValue, String meaning) {}

  public static final List<Option> OPTIONS =
      List.of(
          new Option("server.host", "127.0.0.1", "address the HTTP server listens on"),
          new Option("server.port", "8080", "port of the HTTP server (API)"),
          new Option(
              "server.tls-cert",
              "(none)",
              "a PEM certificate chain, server certificate first (certbot's fullchain.pem,"
                  + " the guide's ajr.crt): the API is served over HTTPS (TLS 1.3 and 1.2);"
                  + " reloaded when the file changes"),
          new Option(
              "server.tls-key",
              "(none)",
              "the PEM private key of that certificate (certbot's privkey.pem, the guide's"
                  + " ajr.key): PKCS#8, PKCS#1 or SEC1, RSA or EC; give both or neither"),
          new Option(
              "server.http-redirect-port",
              "0",
              "with TLS: a plain-HTTP port that redirects pages to HTTPS (308) and refuses API"
                  + " calls (403 https_required); 0: none"),
          new Option("data-dir", "./ajr-data", "where the embedded database and files are kept"),
          new Option(
              "database.url",
              "(SQLite in data-dir)",
              "JDBC URL: jdbc:mariadb:// (or jdbc:mysql://), jdbc:postgresql:// or jdbc:sqlite:"),
          new Option("database.user", "(AJR_DB_USER)", "database user"),
          new Option(
              "database.password-file",
              "(AJR_DB_PASSWORD)",
              "a file holding the database password (else the environment variable)"),
          new Option("database.pool-size", "8", "most connections to the database"),
          new Option(
              "database.migrate", "true", "apply schema migrations on start (./ajr db migrate)"),
          new Option(
              "rules.dir",
              "(none)",
              "a directory of YAML rule files that add to or replace built-in rules"),
          new Option("slurm.poll-interval", "1s", "how often squeue --json is read"),
          new Option(
              "slurm.command-timeout",
              "30s",
              "how long one Slurm command may take before it counts as failed"),
          new Option(
              "logs.notifications",
              "true",
              "read a log file as soon as the file system reports a change (inotify); network and"
                  + " parallel file systems are polled whatever this says"),
          new Option(
              "logs.poll-interval",
              "200ms",
              "how often log files are read where there are no notifications"),
          new Option(
              "logs.scan-interval",
              "1s",
              "how often a job's working directory is listed for new step logs where there are no"
                  + " notifications"),
          new Option(
              "logs.safety-poll-interval",
              "5s",
              "how often files with notifications are read anyway, in case one was lost"),
          new Option(
              "logs.max-line-bytes", "65536", "longest log line kept whole; longer lines are cut"),
          new Option(
              "logs.max-bytes-per-poll", "4194304", "most bytes read from one file in one poll"),
          new Option(
              "logs.grace", "10s", "how long a job's files are still read after the job ended"),
          new Option(
              "logs.follow-files",
              "true",
              "the server reads job output on the shared filesystem; false when node agents send"
                  + " it (./ajr agent)"),
          new Option(
              "ingest.agent-token-file",
              "<data-dir>/agent.token",
              "the token node agents send; created (mode 600) on first start when missing"),
          new Option(
              "ingest.job-labels",
              "job_id,jobid,slurm_job_id",
              "Loki stream labels that hold the Slurm job id (pushed or read from Loki)"),
          new Option(
              "ingest.node-labels",
              "host,hostname,node,nodename",
              "Loki stream labels that hold the node name"),
          new Option(
              "ingest.file-label",
              "filename",
              "the Loki stream label holding the file path; ties a stream without a job label to"
                  + " the job whose output it is"),
          new Option(
              "ingest.kernel-labels",
              "transport=kernel",
              "label=value pairs (any one) that mark a Loki stream as a node's kernel log"),
          new Option(
              "nodes.drain",
              "true",
              "ajr drains nodes on trusted evidence (kernel log) or when several jobs point at"
                  + " them; false: nodes only become suspect"),
          new Option(
              "nodes.lemon-jobs",
              "3",
              "a node that failures of this many different jobs point at within"
                  + " nodes.lemon-window is drained even on job output"),
          new Option("nodes.lemon-window", "24h", "the window for lemon nodes"),
          new Option(
              "nodes.max-drains", "10", "never more drains than this within nodes.drain-window"),
          new Option(
              "nodes.max-drain-share",
              "0.05",
              "nor more than this share of the cluster's nodes (at least one)"),
          new Option("nodes.drain-window", "1h", "the window of the blast-radius limit"),
          new Option(
              "nodes.repair-webhook",
              "(none)",
              "URL of a hardware-recovery service told about drained nodes (POST JSON); it calls"
                  + " back POST /api/v1/nodes/{node}/repaired"),
          new Option(
              "loki.url",
              "(none)",
              "read job output from this Loki (e.g. http://loki:3100); off when empty"),
          new Option(
              "loki.query-prefix",
              "{appName=\"slurm-app-log\"}",
              "the LogQL stream selector of the job output streams"),
          new Option("loki.line-filter", "(none)", "a LogQL line filter appended to the query"),
          new Option(
              "loki.query-delay",
              "5s",
              "only entries older than this are asked for (the reference system waits 60s); keep"
                  + " it above the shippers' lag"),
          new Option("loki.limit", "5000", "entries per query; a full answer is continued at once"),
          new Option(
              "loki.max-look-back", "1h", "never ask further back than this (first start, outage)"),
          new Option("loki.poll-interval", "1s", "how often Loki is asked"),
          new Option(
              "loki.written-at-pattern",
              "(none)",
              "a regular expression whose first group is the time a line says it was written,"
                  + " to tie late entries to the right attempt"),
          new Option("loki.written-at-zone", "UTC", "time zone of written-at times that name none"),
          new Option("loki.tenant", "(none)", "sent as X-Scope-OrgID"),
          new Option("loki.user", "(none)", "HTTP Basic user for Loki"),
          new Option(
              "loki.password-file", "(none)", "file holding the HTTP Basic password for Loki"),
          new Option("loki.bearer-token-file", "(none)", "file holding a bearer token for Loki"),
          new Option(
              "recovery.default-max-requeue-times",
              "3",
              "recoveries a job gets when its directive has no max_requeue_times"),
          new Option(
              "recovery.max-requeue-times-cap", "10", "the most recoveries any job may ask for"),
          new Option(
              "recovery.max-per-cause",
              "3",
              "the most recoveries of one job for the same root cause; the next failure of that"
                  + " cause stops the job (0: no such limit)"),
          new Option(
              "recovery.reset-on-progress",
              "true",
              "an attempt that saved a newer checkpoint (or, without checkpoint lines, reached a"
                  + " higher iteration) starts the job's budgets again"),
          new Option(
              "recovery.stop-without-checkpoint",
              "3",
              "a job that writes checkpoints stops after this many attempts in a row saved no new"
                  + " one (0: off)"),
          new Option(
              "recovery.early-stop-attempts",
              "3",
              "a job stops after this many attempts in a row each died soon after starting (0:"
                  + " off)"),
          new Option(
              "recovery.early-stop-within",
              "5m",
              "an attempt that ends within this long of starting died early"),
          new Option(
              "recovery.job-storm-limit",
              "5",
              "the most restarts of one job within recovery.storm-window; the next failure stops"
                  + " it (0: off)"),
          new Option(
              "recovery.cluster-storm-limit",
              "50",
              "the most restarts by ajr on the cluster within recovery.storm-window; beyond it"
                  + " failed jobs are left as Slurm left them for an operator (0: off)"),
          new Option("recovery.storm-window", "1h", "the window of the restart-storm limits"),
          new Option(
              "hang.floor",
              "10m",
              "an attempt is never called hung with less time than this without progress"),
          new Option(
              "hang.multiple",
              "5",
              "hung after this many times the attempt's typical interval between progress lines"),
          new Option(
              "hang.startup-grace",
              "30m",
              "time to the first progress line, when an earlier attempt showed progress"),
          new Option(
              "recovery.mode",
              "act",
              "act: ajr requeues, releases and cancels; observe: it decides and records only"),
          new Option(
              "recovery.act-partitions",
              "(all)",
              "comma-separated partitions ajr acts on; the others are only observed"),
          new Option(
              "recovery.cascade-settle",
              "5s",
              "how long a cascade symptom (an NCCL timeout) waits for its initiating error"
                  + " before ajr decides on it"),
          new Option(
              "retention.finished-jobs",
              "90d",
              "how long finished jobs, with their anomalies and decisions, are kept"),
          new Option("retention.interval", "1h", "how often old finished jobs are pruned"),
          new Option(
              "retention.audit-keep",
              "365d",
              "how long rows of the audit trail are kept before they are pruned"),
          new Option(
              "cluster.replicas",
              "false",
              "this server is one of several sharing the database (MariaDB/MySQL or PostgreSQL);"
                  + " one at a time acts on Slurm, holding a lease"),
          new Option(
              "cluster.lease-duration",
              "6s",
              "how long the leader's lease holds without renewal: a dead leader is replaced within"
                  + " about this and a third of it"),
          new Option("cluster.replica-id", "<host>-<pid>", "this server's name among the replicas"),
          new Option(
              "recovery.verify-poll",
              "200ms",
              "how often Slurm is looked at while verifying an action"),
          new Option(
              "recovery.verify-timeout",
              "20s",
              "how long an action may take to show its effect before it is sent again"),
          new Option(
              "recovery.restart-delay",
              "1s",
              "how soon a requeued job may start again (Slurm's own delay is about two minutes;"
                  + " under 1s Slurm may refuse to launch it on the same node)"),
          new Option(
              "recovery.action-deadline",
              "10m",
              "how long an action is retried (for example while slurmctld is down) before the"
                  + " recovery fails"),
          new Option(
              "events.amqp-url",
              "(none)",
              "also publish every event to RabbitMQ, amqp://USER:PASSWORD@HOST:5672/VHOST"
                  + " (--amqp-url); off when empty"),
          new Option(
              "events.amqp-password-file",
              "(AJR_AMQP_PASSWORD)",
              "a file holding the RabbitMQ password (else the environment variable, else the"
                  + " URL's)"),
          new Option("events.exchange", "ajr.events", "the durable topic exchange events go to"),
          new Option(
              "events.outbox-keep-sent",
              "1d",
              "how long events stay in the outbox table after RabbitMQ confirmed them"),
          new Option(
              "events.outbox-max-unsent",
              "1000000",
              "the most events kept while RabbitMQ is away; beyond it the oldest are dropped"
                  + " (logged as an error)"),
          new Option(
              "notifications.destinations",
              "(none)",
              "a list of Slack, webhook and e-mail destinations with their rules (see"
                  + " Operations, Notifications); in the YAML file only"),
          new Option(
              "notifications.queue-size",
              "10000",
              "events waiting to be notified; beyond it they are counted, and the count is sent"),
          new Option(
              "notifications.retries",
              "3",
              "how many times a failed delivery is tried again before it is logged and dropped"),
          new Option(
              "notifications.retry-backoff",
              "2s",
              "the wait before the first retry, doubled for each further one"),
          new Option(
              "notifications.smtp.host", "(none)", "the mail server for e-mail destinations"),
          new Option("notifications.smtp.port", "587", "its port"),
          new Option(
              "notifications.smtp.starttls",
              "optional",
              "off, optional (when the server offers it) or required"),
          new Option("notifications.smtp.user", "(none)", "user for SMTP AUTH"),
          new Option(
              "notifications.smtp.password-file",
              "(none)",
              "a file holding the SMTP password (never logged)"),
          new Option("notifications.smtp.from", "ajr@localhost", "the sender address"),
          new Option(
              "notifications.smtp.timeout",
              "10s",
              "how long connecting to and talking with the mail server may take"),
          new Option("web.session-lifetime", "12h", "a browser login lasts at most this long"),
          new Option(
              "web.session-idle", "2h", "a browser login ends after this long without requests"),
          new Option(
              "web.login-failures-per-user",
              "5",
              "failed logins for one user name within web.login-window before it waits"),
          new Option(
              "web.login-failures-per-address",
              "30",
              "failed logins from one client address within web.login-window before it waits"),
          new Option("web.login-window", "15m", "the window failed logins are counted in"),
          new Option(
              "auth.ldap.uri",
              "(none)",
              "log users in with their directory account: ldaps://HOST (or ldap://), several"
                  + " separated by spaces, tried in order; LDAP logins are off when empty"),
          new Option(
              "auth.ldap.bind-dn",
              "(none)",
              "the service account that searches users, like"
                  + " cn=ajr,ou=services,dc=example,dc=com; empty: anonymous search"),
          new Option(
              "auth.ldap.bind-password-file",
              "(AJR_LDAP_BIND_PASSWORD)",
              "a file holding the service account's password (else the environment variable)"),
          new Option(
              "auth.ldap.search-base",
              "(none)",
              "where users are searched (whole subtree), like ou=people,dc=example,dc=com"),
          new Option(
              "auth.ldap.user-filter",
              "(uid={0})",
              "the filter that finds a user; {0} is the user name, escaped"),
          new Option(
              "auth.ldap.ca-cert",
              "(JDK trust store)",
              "PEM file of the CA that issued the LDAP server's certificate (ldaps://)"),
          new Option("auth.ldap.admin-group", "(none)", "DN of the group whose members are admins"),
          new Option(
              "auth.ldap.operator-group",
              "(none)",
              "DN of the group whose members are operators; other directory users are viewers"),
          new Option(
              "auth.ldap.timeout",
              "5s",
              "the longest a connection to the LDAP server or one request may take"));

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param file a YAML file, or null for none
   * @param overrides dotted option names to values, from the command line
   */
  public static AjrConfig load(Path file, Map<String, String> overrides) {
    return load(file, overrides, System.getenv());
  }

  /**
   * @param env the environment: {@code AJR_DB_USER}, {@code AJR_DB_PASSWORD}, {@code
   *     AJR_AMQP_PASSWORD} and {@code AJR_LDAP_BIND_PASSWORD}
   */
  public static AjrConfig load(Path file, Map<String, String> overrides, Map<String, String> env) {
    Resolved resolved = resolve(file, overrides);
    return build(resolved.values(), resolved.structured(), resolved.origin(), env)
        .withSettings(EffectiveSettings.of(effective(resolved)));
  }

  /**
   * Every option's effective value as written (defaults, then the file, then the command line); an
   * option that is not set is empty, and a structured option (a list of mappings) holds its YAML as
   * JSON. For showing settings; they may hold secrets (see {@link EffectiveSettings}).
   */
  public static Map<String, String> effectiveValues(Path file, Map<String, String> overrides) {
    return effective(resolve(file, overrides));
  }

  private static Map<String, String> effective(Resolved resolved) {
    Map<String, String> values = new LinkedHashMap<>(resolved.values());
    resolved.structured().forEach((name, node) -> values.put(name, node.toString()));
    return java.util.Collections.unmodifiableMap(values);
  }

  private record Resolved(
      Map<String, String> values, Map<String, JsonNode> structured, String origin) {}

  private static Resolved resolve(Path file, Map<String, String> overrides) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Option o : OPTIONS) {
      values.put(o.name(), o.defaultValue());
    }
    values.put("database.url", "");
    values.put("database.user", "");
    values.put("database.password-file", "");
    values.put("rules.dir", "");
    values.put("recovery.act-partitions", "");
    values.put("ingest.agent-token-file", "");
    values.put("cluster.replica-id", "");
    for (String optional :
        List.of(
            "server.tls-cert",
            "server.tls-key",
            "loki.url",
            "nodes.repair-webhook",
            "loki.line-filter",
            "loki.written-at-pattern",
            "loki.tenant",
            "loki.user",
            "loki.password-file",
            "loki.bearer-token-file",
            "events.amqp-url",
            "events.amqp-password-file",
            "notifications.destinations",
            "notifications.smtp.host",
            "notifications.smtp.user",
            "notifications.smtp.password-file")) {
      values.put(optional, "");
    }
    LdapConfigParser.EMPTY_BY_DEFAULT.forEach(o -> values.put(o, ""));
    String origin = "configuration";
    Map<String, JsonNode> structured = new LinkedHashMap<>();
    if (file != null) {
      origin = file.toString();
      readYaml(file, values, structured);
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (!values.containsKey(e.getKey())) {
        throw new ConfigException("unknown option " + e.getKey());
      }
      if (STRUCTURED.contains(e.getKey())) {
        throw new ConfigException(
            e.getKey() + " is a list of mappings: set it in the configuration file");
      }
      values.put(e.getKey(), e.getValue());
    }
    return new Resolved(values, structured, origin);
  }

  /** Options whose value is structured YAML (a list of mappings), kept as it is. */
  private static final java.util.Set<String> STRUCTURED =
      java.util.Set.of("notifications.destinations");

  private static void readYaml(
      Path file, Map<String, String> values, Map<String, JsonNode> structured) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read the configuration file " + file + ": " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return;
    }
    if (!root.isObject()) {
      throw new ConfigException(file + ": the configuration must be a mapping of options");
    }
    flatten(file, "", root, values, structured);
  }

  private static void flatten(
      Path file,
      String prefix,
      JsonNode node,
      Map<String, String> values,
      Map<String, JsonNode> structured) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String name = prefix + field.getKey();
      if (STRUCTURED.contains(name)) {
        structured.put(name, field.getValue());
      } else if (field.getValue().isObject()) {
        flatten(file, name + ".", field.getValue(), values, structured);
      } else if (!values.containsKey(name)) {
        throw new ConfigException(
            file + ": unknown option \"" + name + "\"; the options are listed in the README");
      } else if (field.getValue().isArray()) {
        List<String> items = new java.util.ArrayList<>();
        field.getValue().forEach(item -> items.add(item.asText()));
        values.put(name, String.join(",", items));
      } else {
        values.put(name, field.getValue().asText());
      }
    }
  }

  private static AjrConfig build(
      Map<String, String> v,
      Map<String, JsonNode> structured,
      String origin,
      Map<String, String> env) {
    Reader r = new Reader(v, origin);
    int defaultMax = r.integer("recovery.default-max-requeue-times", 0, 1000);
    int cap = r.integer("recovery.max-requeue-times-cap", 0, 1000);
    if (defaultMax > cap) {
      throw new ConfigException(
          origin
              + ": recovery.default-max-requeue-times ("
              + defaultMax
              + ") is above recovery.max-requeue-times-cap ("
              + cap
              + ")");
    }
    DatabaseConfig database = database(v, r, origin, env);
    return new AjrConfig(
        v.get("server.host"),
        r.integer("server.port", 0, 65535),
        Path.of(v.get("data-dir")),
        database,
        v.get("rules.dir").isBlank() ? null : Path.of(v.get("rules.dir").strip()),
        r.duration("slurm.poll-interval"),
        r.duration("slurm.command-timeout"),
        new LogSettings(
            r.duration("logs.poll-interval"),
            r.duration("logs.scan-interval"),
            r.integer("logs.max-line-bytes", 256, 64 * 1024 * 1024),
            r.integer("logs.max-bytes-per-poll", 4096, Integer.MAX_VALUE),
            r.duration("logs.grace"),
            r.bool("logs.notifications"),
            r.duration("logs.safety-poll-interval")),
        new RequeueLimits(defaultMax, cap),
        new HangSettings(
            r.duration("hang.floor"),
            r.integer("hang.multiple", 1, 1000),
            r.duration("hang.startup-grace")),
        r.duration("recovery.cascade-settle"),
        recoveryMode(v, origin),
        new PolicySettings(
            r.integer("recovery.max-per-cause", 0, 1000),
            r.bool("recovery.reset-on-progress"),
            r.integer("recovery.stop-without-checkpoint", 0, 1000),
            r.integer("recovery.early-stop-attempts", 0, 1000),
            r.duration("recovery.early-stop-within"),
            r.integer("recovery.job-storm-limit", 0, 100_000),
            r.integer("recovery.cluster-storm-limit", 0, 1_000_000),
            r.duration("recovery.storm-window")),
        r.duration("retention.finished-jobs"),
        r.duration("retention.interval"),
        r.duration("retention.audit-keep"),
        new ExecutorSettings(
            r.duration("recovery.verify-poll"),
            r.duration("recovery.verify-timeout"),
            r.duration("recovery.action-deadline"),
            Duration.ofSeconds(10),
            r.duration("recovery.restart-delay")),
        new IngestConfig(r.bool("logs.follow-files"), agentTokenFile(v), streamLabels(v, origin)),
        loki(v, r, origin),
        nodes(v, r, origin),
        cluster(v, r, origin, database),
        events(v, r, origin, env),
        NotificationsParser.parse(structured.get("notifications.destinations"), v, r, origin),
        new WebConfig(
            r.duration("web.session-lifetime"),
            r.duration("web.session-idle"),
            r.integer("web.login-failures-per-user", 1, 1_000_000),
            r.integer("web.login-failures-per-address", 1, 1_000_000),
            r.duration("web.login-window")),
        tls(v, r, origin),
        LdapConfigParser.parse(v, r, origin, env),
        List.of());
  }

  private static TlsSettings tls(Map<String, String> v, Reader r, String origin) {
    String cert = v.get("server.tls-cert").strip();
    String key = v.get("server.tls-key").strip();
    int redirect = r.integer("server.http-redirect-port", 0, 65535);
    if (cert.isEmpty() != key.isEmpty()) {
      throw new ConfigException(
          origin
              + ": give both server.tls-cert and server.tls-key (the certificate chain and its"
              + " key), or neither for plain HTTP; only "
              + (cert.isEmpty() ? "server.tls-key" : "server.tls-cert")
              + " is set");
    }
    if (cert.isEmpty()) {
      if (redirect != 0) {
        throw new ConfigException(
            origin
                + ": server.http-redirect-port redirects to HTTPS: it needs server.tls-cert and"
                + " server.tls-key");
      }
      return TlsSettings.OFF;
    }
    if (redirect != 0 && redirect == r.integer("server.port", 0, 65535)) {
      throw new ConfigException(
          origin + ": server.http-redirect-port must differ from server.port (" + redirect + ")");
    }
    return new TlsSettings(Path.of(cert), Path.of(key), redirect);
  }

  private static ClusterConfig cluster(
      Map<String, String> v, Reader r, String origin, DatabaseConfig database) {
    boolean replicas = r.bool("cluster.replicas");
    if (replicas && database.embedded()) {
      throw new ConfigException(
          origin
              + ": cluster.replicas needs a database the replicas share: give --db-url (MariaDB,"
              + " MySQL or PostgreSQL)");
    }
    String id = v.get("cluster.replica-id").strip();
    if (id.isEmpty()) {
      String host;
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "ajr";
      }
      id = host + "-" + ProcessHandle.current().pid();
    }
    return new ClusterConfig(replicas, id, r.duration("cluster.lease-duration"));
  }

  private static EventsConfig events(
      Map<String, String> v, Reader r, String origin, Map<String, String> env) {
    String url = v.get("events.amqp-url").strip();
    String exchange = v.get("events.exchange").strip();
    if (exchange.isEmpty() || exchange.startsWith("amq.")) {
      throw new ConfigException(
          origin + ": events.exchange must be a name that does not start with amq.");
    }
    long maxUnsent;
    try {
      maxUnsent = Long.parseLong(v.get("events.outbox-max-unsent").strip());
    } catch (NumberFormatException e) {
      maxUnsent = -1;
    }
    if (maxUnsent < 1) {
      throw new ConfigException(
          origin + ": events.outbox-max-unsent must be a whole number above 0");
    }
    java.time.Duration keepSent = r.duration("events.outbox-keep-sent");
    if (url.isEmpty()) {
      return new EventsConfig(null);
    }
    String password = env.get("AJR_AMQP_PASSWORD");
    String passwordFile = v.get("events.amqp-password-file").strip();
    if (!passwordFile.isEmpty()) {
      try {
        password = Files.readString(Path.of(passwordFile)).strip();
      } catch (IOException e) {
        throw new ConfigException(
            origin + ": events.amqp-password-file " + passwordFile + " cannot be read");
      }
    }
    try {
      return new EventsConfig(
          dev.ajr.server.events.AmqpSettings.parse(
                  url, password == null || password.isEmpty() ? null : password)
              .withExchange(exchange)
              .withOutbox(keepSent, maxUnsent));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(origin + ": events.amqp-url " + e.getMessage());
    }
  }

  private static NodesConfig nodes(Map<String, String> v, Reader r, String origin) {
    double share;
    try {
      share = Double.parseDouble(v.get("nodes.max-drain-share").strip());
    } catch (NumberFormatException e) {
      share = -1;
    }
    if (!(share >= 0 && share <= 1)) {
      throw new ConfigException(
          origin + ": nodes.max-drain-share must be a share from 0 to 1, like 0.05");
    }
    String webhook = v.get("nodes.repair-webhook").strip();
    URI url = null;
    if (!webhook.isEmpty()) {
      try {
        url = URI.create(webhook);
      } catch (IllegalArgumentException e) {
        url = null;
      }
      if (url == null || url.getHost() == null || !url.getScheme().startsWith("http")) {
        throw new ConfigException(
            origin + ": nodes.repair-webhook must be an http:// or https:// URL");
      }
    }
    return new NodesConfig(
        new NodeSettings(
            r.bool("nodes.drain"),
            r.integer("nodes.lemon-jobs", 1, 1000),
            r.duration("nodes.lemon-window"),
            r.integer("nodes.max-drains", 0, 100_000),
            share,
            r.duration("nodes.drain-window")),
        url);
  }

  private static StreamLabels streamLabels(Map<String, String> v, String origin) {
    Map<String, String> kernel = new LinkedHashMap<>();
    for (String pair : list(v.get("ingest.kernel-labels"))) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            origin + ": ingest.kernel-labels takes label=value pairs, not \"" + pair + "\"");
      }
      kernel.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return new StreamLabels(
        list(v.get("ingest.job-labels")),
        list(v.get("ingest.node-labels")),
        v.get("ingest.file-label").strip(),
        kernel);
  }

  private static List<String> list(String text) {
    List<String> items = new java.util.ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return items;
  }

  private static LokiConfig loki(Map<String, String> v, Reader r, String origin) {
    String url = v.get("loki.url").strip();
    if (url.isEmpty()) {
      return new LokiConfig(null);
    }
    try {
      LokiSettings.Builder b =
          LokiSettings.builder(URI.create(url), v.get("loki.query-prefix").strip())
              .queryDelay(r.duration("loki.query-delay"))
              .limit(r.integer("loki.limit", 1, 100_000))
              .maxLookBack(r.duration("loki.max-look-back"))
              .pollInterval(r.duration("loki.poll-interval"))
              .maxLineBytes(r.integer("logs.max-line-bytes", 256, 64 * 1024 * 1024));
      if (!v.get("loki.line-filter").isBlank()) {
        b.lineFilter(v.get("loki.line-filter").strip());
      }
      if (!v.get("loki.written-at-pattern").isBlank()) {
        b.writtenAt(
            v.get("loki.written-at-pattern").strip(),
            java.time.ZoneId.of(v.get("loki.written-at-zone").strip()));
      }
      if (!v.get("loki.tenant").isBlank()) {
        b.tenant(v.get("loki.tenant").strip());
      }
      if (!v.get("loki.user").isBlank()) {
        b.basicAuth(v.get("loki.user").strip(), secret(v, "loki.password-file", origin));
      }
      if (!v.get("loki.bearer-token-file").isBlank()) {
        b.bearerToken(secret(v, "loki.bearer-token-file", origin));
      }
      return new LokiConfig(b.build());
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new ConfigException(origin + ": loki: " + e.getMessage());
    }
  }

  private static String secret(Map<String, String> v, String option, String origin) {
    String file = v.get(option).strip();
    if (file.isEmpty()) {
      throw new ConfigException(origin + ": " + option + " is needed with loki.user");
    }
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new ConfigException(origin + ": " + option + " " + file + " cannot be read");
    }
  }

  private static Path agentTokenFile(Map<String, String> v) {
    String file = v.get("ingest.agent-token-file").strip();
    return file.isEmpty() ? Path.of(v.get("data-dir")).resolve("agent.token") : Path.of(file);
  }

  private static DatabaseConfig database(
      Map<String, String> v, Reader r, String origin, Map<String, String> env) {
    String url = v.get("database.url").strip();
    String shown = url.replaceAll("//[^@/]*@", "//***@");
    if (!url.isEmpty()
        && !url.startsWith("jdbc:sqlite:")
        && !url.startsWith("jdbc:mariadb:")
        && !url.startsWith("jdbc:mysql:")
        && !url.startsWith("jdbc:postgresql:")) {
      throw new ConfigException(
          origin
              + ": database "
              + shown
              + " is not supported; use jdbc:mariadb://HOST:3306/DB,"
              + " jdbc:mysql://..., jdbc:postgresql://HOST:5432/DB or jdbc:sqlite:FILE");
    }
    String user = v.get("database.user").strip();
    if (user.isEmpty()) {
      user = env.getOrDefault("AJR_DB_USER", "");
    }
    String password = env.getOrDefault("AJR_DB_PASSWORD", "");
    String passwordFile = v.get("database.password-file").strip();
    if (!passwordFile.isEmpty()) {
      try {
        password = Files.readString(Path.of(passwordFile)).strip();
      } catch (IOException e) {
        throw new ConfigException(
            origin
                + ": database.password-file "
                + passwordFile
                + " cannot be read: "
                + e.getMessage());
      }
    }
    String migrate = v.get("database.migrate").strip();
    if (!migrate.equals("true") && !migrate.equals("false")) {
      throw new ConfigException(
          origin + ": database.migrate must be true or false, not " + migrate);
    }
    return new DatabaseConfig(
        url, user, password, r.integer("database.pool-size", 1, 1000), migrate.equals("true"));
  }

  private static RecoveryMode recoveryMode(Map<String, String> v, String origin) {
    String mode = v.get("recovery.mode").strip();
    if (!mode.equals("act") && !mode.equals("observe")) {
      throw new ConfigException(origin + ": recovery.mode must be act or observe, not " + mode);
    }
    java.util.Set<String> partitions = new java.util.LinkedHashSet<>();
    for (String p : v.get("recovery.act-partitions").split(",")) {
      if (!p.isBlank()) {
        partitions.add(p.strip());
      }
    }
    return new RecoveryMode(mode.equals("observe"), partitions);
  }

  record Reader(Map<String, String> values, String origin) {
    int integer(String name, int min, int max) {
      String text = values.get(name).strip();
      try {
        int n = Integer.parseInt(text);
        if (n < min || n > max) {
          throw new ConfigException(
              origin + ": " + name + " must be from " + min + " to " + max + ", not " + n);
        }
        return n;
      } catch (NumberFormatException e) {
        throw new ConfigException(
            origin + ": " + name + " must be a whole number, not \"" + text + "\"");
      }
    }

    boolean bool(String name) {
      String text = values.get(name).strip();
      if (!text.equals("true") && !text.equals("false")) {
        throw new ConfigException(origin + ": " + name + " must be true or false, not " + text);
      }
      return text.equals("true");
    }

    Duration duration(String name) {
      try {
        Duration d = Durations.parse(values.get(name));
        if (d.isZero()) {
          throw new ConfigException(origin + ": " + name + " must be more than 0");
        }
        return d;
      } catch (IllegalArgumentException e) {
        throw new ConfigException(origin + ": " + name + ": " + e.getMessage());
      }
    }
  }
}
