package dev.ajr.server.app;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveParser;
import dev.ajr.core.node.NodeControl;
import dev.ajr.core.node.NodeEvent;
import dev.ajr.core.node.NodeEvidence;
import dev.ajr.core.node.NodeIsolator;
import dev.ajr.core.progress.ProgressMonitor;
import dev.ajr.core.progress.StragglerSettings;
import dev.ajr.core.recovery.AnomalyHandler;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.Fence;
import dev.ajr.core.recovery.Pacer;
import dev.ajr.core.recovery.RecoveryExecutor;
import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.core.tracking.JobTracker;
import dev.ajr.server.audit.EventAudit;
import dev.ajr.server.auth.Authenticator;
import dev.ajr.server.auth.Directory;
import dev.ajr.server.auth.LdapDirectory;
import dev.ajr.server.auth.LoginGuard;
import dev.ajr.server.auth.PasswordHasher;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.auth.WebSessions;
import dev.ajr.server.cluster.LeaderElection;
import dev.ajr.server.cluster.LeaderLease;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.config.DatabaseConfig;
import dev.ajr.server.config.EffectiveSettings;
import dev.ajr.server.config.WebConfig;
import dev.ajr.server.events.AmqpRelay;
import dev.ajr.server.events.EventSinks;
import dev.ajr.server.events.InProcessEventBus;
import dev.ajr.server.events.OutboxEventSink;
import dev.ajr.server.http.AdminEndpoints;
import dev.ajr.server.http.ApiServer;
import dev.ajr.server.http.IngestEndpoints;
import dev.ajr.server.http.NodeEndpoints;
import dev.ajr.server.ingest.AgentIngest;
import dev.ajr.server.ingest.ExcerptRecorder;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.ingest.LokiLines;
import dev.ajr.server.ingest.StreamGate;
import dev.ajr.server.ingest.loki.LokiSource;
import dev.ajr.server.logs.LineHandler;
import dev.ajr.server.logs.LogFollowService;
import dev.ajr.server.nodes.RepairWebhook;
import dev.ajr.server.notify.Notifier;
import dev.ajr.server.rules.RuleCatalog;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlAuditLog;
import dev.ajr.server.store.SqlIngestPositions;
import dev.ajr.server.store.SqlJobBrowser;
import dev.ajr.server.store.SqlKpis;
import dev.ajr.server.store.SqlLogOffsets;
import dev.ajr.server.store.SqlNodeStore;
import dev.ajr.server.store.SqlOutbox;
import dev.ajr.server.store.SqlProgressMarks;
import dev.ajr.server.store.SqlRecoveryStore;
import dev.ajr.slurm.ProcessCommandRunner;
import dev.ajr.slurm.SlurmCliScheduler;
import dev.ajr.slurm.SlurmNodeControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component from the configuration, starts them in order (store,
 * event relay, API, executor resuming unfinished recoveries, log follower, scheduler poller) and
 * stops them in reverse. Components publish to the in-process bus and, with {@code
 * events.amqp-url}, then to the outbox that the relay sends to RabbitMQ.
 */
public final class AjrServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AjrServer.class);

  /** The user node agents act as. */
  public static final String AGENT_USER = "agent";

  private final AjrConfig config;
  private final Clock clock;
  private final Database db;
  private final SqlRecoveryStore store;
  private final UserStore users;
  private final InProcessEventBus events = new InProcessEventBus();
  private final SqlAuditLog audit;
  private final List<EffectiveSettings.Setting> settings;
  private final WebSessions webSessions;

  /** Where components publish: the in-process bus, then the RabbitMQ outbox when configured. */
  private final EventSink sink;

  /** Sends the outbox to RabbitMQ, or null when events.amqp-url is not set. */
  private final AmqpRelay relay;

  private final ApiServer api;
  private final LogFollowService logs;
  private final LineRouter router;
  private final ExcerptRecorder excerpts;
  private final NodeIsolator nodes;
  private final LeaderElection election;
  private final SqlNodeStore nodeStore;
  private final ScheduledExecutorService follower =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ajr-replica").daemon(true).factory());
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private volatile boolean leading;
  private volatile long lastIsolated;
  private final ProgressMonitor progress;
  private final SqlProgressMarks marks;
  private volatile Instant lastMarks = Instant.EPOCH;
  private final LokiSource loki;
  private final SchedulerPoller poller;
  private final Retention retention;
  private final RecoveryExecutor executor;
  private final Notifier notifier;
  private final ExecutorService recoveries =
      Executors.newFixedThreadPool(
          4, Thread.ofPlatform().name("ajr-recovery-", 1).daemon(true).factory());
  private String adminPasswordNote = "";
  private LdapDirectory ldap; // null when auth.ldap.uri is not set

  public AjrServer(AjrConfig config) throws IOException {
    this(
        config,
        new SlurmCliScheduler(new ProcessCommandRunner(), config.slurm().commandTimeout()),
        new SlurmNodeControl(new ProcessCommandRunner(), config.slurm().commandTimeout()),
        Clock.systemUTC());
  }

  public AjrServer(AjrConfig config, Scheduler scheduler, NodeControl nodeControl, Clock clock)
      throws IOException {
    this.config = config;
    this.settings = config.settings();
    this.clock = clock;
    this.db = openDatabase(config);
    this.store = new SqlRecoveryStore(db, clock);
    this.users = new UserStore(db, clock);
    this.audit = new SqlAuditLog(db, clock);
    // In-process subscribers hear of a change once it is committed; the outbox row is written in
    // the same transaction as the change it reports (RecoveryStore.atomically).
    EventSink afterCommit = event -> db.afterCommit(() -> events.publish(event));
    if (config.events().amqpEnabled()) {
      SqlOutbox outbox = new SqlOutbox(db);
      this.relay = new AmqpRelay(config.events().amqp(), outbox, clock);
      this.sink =
          EventSinks.inOrder(
              new OutboxEventSink(outbox, clock, () -> db.afterCommit(relay::wake)), afterCommit);
    } else {
      this.relay = null;
      this.sink = afterCommit;
    }
    RuleCatalog.Loaded rules = RuleCatalog.load(config.rulesDir());
    rules.problems().forEach(p -> log.warn("rule left out: {}", p));
    JobLocks locks = new JobLocks();
    this.election =
        config.cluster().replicas()
            ? new LeaderElection(
                new LeaderLease(db),
                config.cluster().replicaId(),
                config.cluster().leaseDuration(),
                clock,
                this::onElected,
                AjrServer::onLeadershipLost)
            : null;
    Fence fence = election == null ? Fence.NONE : election;
    this.executor =
        new RecoveryExecutor(
            scheduler,
            store,
            sink,
            locks,
            clock,
            Pacer.REAL,
            config.recovery().executor(),
            StopAtStep.fromEnvironment(config.dataDir()),
            fence);
    JobTracker tracker = new JobTracker(store, sink, locks, clock);
    SchedulerPoller[] pollerRef = new SchedulerPoller[1];
    AnomalyHandler anomalies =
        new AnomalyHandler(
            rules.engine(),
            store,
            () -> pollerRef[0] == null ? java.util.List.of() : pollerRef[0].latest(),
            sink,
            locks,
            clock,
            config.recovery().limits(),
            this::execute,
            config.recovery().cascadeSettle(),
            config.recovery().mode(),
            config.recovery().policy());
    DirectiveParser directives = new DirectiveParser();
    this.progress =
        new ProgressMonitor(
            config.recovery().hang(),
            StragglerSettings.DEFAULTS,
            jobId -> store.job(jobId).flatMap(j -> directives.hangTimeout(j.comment())));
    this.marks = new SqlProgressMarks(db);
    this.excerpts = new ExcerptRecorder(store, clock);
    events.subscribe(excerpts);
    LineHandler lines =
        excerpts.before((jobId, attempt, node, line) -> {
          anomalies.onLine(jobId, attempt, node, line);
          progress
              .onLine(jobId, attempt, line.text(), line.readAt())
              .ifPresent(event -> marks.record(jobId, attempt, event, line.readAt()));
        });
    this.logs = new LogFollowService(lines, clock, config.logs(), new SqlLogOffsets(db, clock));
    this.nodeStore = new SqlNodeStore(db);
    this.nodes =
        new NodeIsolator(
            nodeStore,
            nodeControl,
            sink,
            clock,
            Pacer.REAL,
            config.nodes().settings(),
            () -> config.recovery().mode().observeAll(),
            config.nodes().repairWebhook() == null
                ? null
                : new RepairWebhook(config.nodes().repairWebhook()),
            config.recovery().executor().actionDeadline(),
            fence);
    events.subscribe(this::onEvent);
    events.subscribe(new EventAudit(audit));
    this.notifier =
        config.notifications().enabled()
            ? Notifier.fromConfig(config.notifications(), store, clock)
            : null;
    if (notifier != null) {
      events.subscribe(notifier);
    }
    this.router =
        new LineRouter(
            lines,
            jobId -> store.attempts(jobId).stream().mapToInt(a -> a.index()).max(),
            (node, line) ->
                rules
                    .engine()
                    .classify(line.text())
                    .ifPresent(d ->
                        isolateKernelLine(
                            new NodeEvidence(
                                node,
                                0,
                                0,
                                d.cause(),
                                d.ruleId(),
                                d.action(),
                                line.text(),
                                line.evidence(),
                                line.readAt()))),
            clock);
    SqlIngestPositions positions = new SqlIngestPositions(db, clock);
    StreamGate gate = new StreamGate(positions);
    AgentIngest agentIngest = new AgentIngest(gate, router, clock, config.logs().maxLineBytes());
    LokiLines lokiLines = new LokiLines(router, gate, config.ingest().labels(), clock);
    this.loki =
        config.loki().enabled()
            ? LokiFollowing.create(config.loki().settings(), lokiLines, positions, clock)
            : null;
    ProgressSignals signals = new ProgressSignals(anomalies, clock);
    this.poller =
        new SchedulerPoller(
            scheduler,
            tracker,
            active -> {
              if (config.ingest().followFiles()) {
                logs.update(active);
              }
              router.update(active);
              excerpts.update(active);
              progress.update(active);
              signals.report(progress.check(clock.instant()), active);
              anomalies.decideSettled();
            },
            config.slurm().pollInterval());
    pollerRef[0] = poller;
    this.retention =
        new Retention(
            store,
            positions,
            clock,
            config.retention().finishedJobs(),
            config.retention().interval());
    retention.pruneAudit(audit, config.retention().auditKeep());
    this.api =
        new ApiServer(
            config.server().host(),
            config.server().port(),
            store,
            users,
            new Authenticator(users, clock, directories()),
            () -> "follower".equals(role()) || poller.healthy(),
            new IngestEndpoints(agentIngest, router, lokiLines, config.logs().maxLineBytes()),
            new NodeEndpoints(nodeStore, nodes),
            config.server().tls());
    api.role(this::role);
    WebConfig web = config.web();
    this.webSessions = new WebSessions(db, clock, web.sessionLifetime(), web.sessionIdle());
    retention.pruneSessions(webSessions);
    api.sessions(
        webSessions,
        new LoginGuard(clock, web.failuresPerUser(), web.failuresPerAddress(), web.loginWindow()),
        audit);
    api.liveUpdates(events);
    api.jobBrowser(new SqlJobBrowser(db));
    api.admin(new AdminEndpoints(new SqlKpis(db), rules, audit, () -> settings, clock));
  }

  /** The directories asked after the local users: LDAP when auth.ldap.uri is set. */
  private List<Directory> directories() {
    if (!config.ldap().enabled()) {
      return List.of();
    }
    ldap = new LdapDirectory(config.ldap().settings());
    log.info("LDAP logins: {}", config.ldap().settings());
    return List.of(ldap);
  }

  /** The configured database, or the embedded SQLite file in the data directory. */
  public static Database openDatabase(AjrConfig config) {
    DatabaseConfig d = config.database();
    if (d.embedded()) {
      return Database.openSqlite(config.dataDir());
    }
    return Database.open(
        new Database.Settings(d.url(), d.user(), d.password(), d.poolSize(), d.migrate()));
  }

  /**
   * Starts everything; returns when the API answers and tracking has begun. One of several replicas
   * starts as a follower (API, agents and shippers, detection from the shared store) and acts only
   * once it holds the leader lease.
   */
  public void start() throws IOException {
    config.startupSummary().forEach(line -> log.info(line));
    ensureAdmin();
    ensureAgentToken();
    webSessions.prune();
    if (relay != null) {
      relay.start();
    }
    if (notifier != null) {
      notifier.start(store.unfinishedDecisions());
      log.info(
          "notifications go to {}",
          config.notifications().destinations().stream().map(d -> d.name()).toList());
    }
    api.start();
    if (election == null) {
      startActing();
      return;
    }
    follower.scheduleWithFixedDelay(this::followStore, 0, 1, TimeUnit.SECONDS);
    election.start();
  }

  /** A follower keeps its line router current from the store (the leader reads Slurm). */
  private void followStore() {
    if (leading) {
      return;
    }
    try {
      List<ActiveAttempt> active = new ArrayList<>();
      for (long id : store.activeJobIds()) {
        store
            .job(id)
            .ifPresent(job ->
                store.attempts(id).stream()
                    .reduce((a, b) -> b)
                    .ifPresent(a ->
                        active.add(
                            new ActiveAttempt(
                                id,
                                a.index(),
                                a.state() == AttemptState.RUNNING,
                                job.workDir(),
                                job.stdOut(),
                                job.stdErr(),
                                a.nodes(),
                                a.startTime()))));
      }
      router.update(active);
      excerpts.update(active);
    } catch (RuntimeException e) {
      log.debug("cannot read the active jobs now: {}", e.toString());
    }
  }

  private void onElected() {
    leading = true;
    lastIsolated = nodeStore.lastAnomalyId();
    lastMarks = clock.instant().minusSeconds(60);
    startActing();
    follower.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * A replica that lost the lease stops at once: whatever it was doing is resumed by the new
   * leader, and exiting is the only way to be sure nothing of it acts late.
   */
  private static void onLeadershipLost() {
    System.err.println(
        "ajr: this replica lost the leader lease; exiting so it restarts as a follower");
    Runtime.getRuntime().halt(75);
  }

  /**
   * The leader takes up what followers decided (decisions they stored) and what they found about
   * nodes (anomalies they stored), once a second.
   */
  private void sweep() {
    try {
      for (Decision d : store.unfinishedDecisions()) {
        execute(d.id());
      }
      List<Anomaly> fresh;
      do {
        fresh = store.anomaliesAfter(lastIsolated, 500);
        for (Anomaly a : fresh) {
          lastIsolated = a.id();
          isolateNow(NodeEvidence.of(a));
        }
      } while (fresh.size() == 500);
      // Lines that went to followers: their progress keeps this replica's hang detector honest.
      for (SqlProgressMarks.Mark m : marks.since(lastMarks)) {
        progress.progressSeenElsewhere(m.jobId(), m.attemptIndex(), m.at());
        lastMarks = m.at();
      }
    } catch (RuntimeException e) {
      log.warn("the leader's sweep failed, trying again: {}", e.toString());
    }
  }

  private void startActing() {
    recoveries.submit(() -> {
      try {
        nodes.resumeUnfinished();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Fence.FencedOut | RuntimeException e) {
        log.error("completing unfinished node drains failed: {}", e.toString());
      }
    });
    recoveries.submit(() -> {
      try {
        executor.resumeUnfinished();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Fence.FencedOut | RuntimeException e) {
        log.error("resuming unfinished recoveries failed: {}", e.toString());
      }
    });
    if (config.ingest().followFiles()) {
      logs.start();
    }
    if (loki != null) {
      loki.start();
    }
    poller.start();
    retention.start();
  }

  /** Anomalies may implicate nodes; node changes are logged for operators. */
  private void onEvent(AjrEvent event) {
    if (event instanceof AjrEvent.AnomalyDetected detected) {
      isolate(NodeEvidence.of(detected.anomaly()));
    } else if (event instanceof AjrEvent.NodeChanged changed) {
      NodeEvent e = changed.event();
      switch (e.kind()) {
        case DRAINED, DRAIN_HELD, DRAIN_FAILED, RESUMED ->
            log.warn("node {}: {}: {}", e.node(), e.kind(), e.reason());
        default -> log.info("node {}: {}: {}", e.node(), e.kind(), e.reason());
      }
    }
  }

  /**
   * Node work runs on a recovery thread: it may wait for Slurm. With replicas the leader's sweep
   * takes every stored anomaly up, whoever stored it.
   */
  private void isolate(NodeEvidence evidence) {
    if (election == null) {
      isolateNow(evidence);
    }
  }

  /**
   * A kernel line that reached no job is stored nowhere, so no sweep takes it up: the replica that
   * acts takes it at once; a follower cannot act and lets it go.
   */
  private void isolateKernelLine(NodeEvidence evidence) {
    if (election == null || leading) {
      isolateNow(evidence);
    } else {
      log.info(
          "kernel log of {}: {} while no job ran there; not acted on by a follower",
          evidence.node(),
          evidence.cause());
    }
  }

  private void isolateNow(NodeEvidence evidence) {
    if (!evidence.pointsAtNode()) {
      return;
    }
    recoveries.submit(() -> {
      try {
        nodes.onEvidence(evidence);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Fence.FencedOut | RuntimeException e) {
        log.error("acting on node {} failed: {}", evidence.node(), e.toString());
      }
    });
  }

  /** Runs a decision on a recovery thread, unless it runs already; a follower leaves it stored. */
  private void execute(long decisionId) {
    if (election != null && !leading) {
      return; // the leader's sweep takes it up
    }
    if (!running.add(decisionId)) {
      return;
    }
    recoveries.submit(() -> {
      try {
        executor.run(decisionId);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Fence.FencedOut e) {
        log.error("recovery decision {} not carried on: {}", decisionId, e.getMessage());
      } catch (RuntimeException e) {
        log.error(
            "recovery decision {} stopped: {}; it is resumed on the next start",
            decisionId,
            e.toString());
      } finally {
        running.remove(decisionId);
      }
    });
  }

  /** leader, follower, or single (no replicas). */
  public String role() {
    return election == null ? "single" : leading ? "leader" : "follower";
  }

  /**
   * Creates the administrator on first start: with {@code AJR_ADMIN_PASSWORD} when set, else with a
   * random password written to {@code initial-admin-password} in the data directory (readable by
   * its owner only), never to the log.
   */
  private void ensureAdmin() throws IOException {
    if (users.hasUsers()) {
      return;
    }
    String password = System.getenv("AJR_ADMIN_PASSWORD");
    if (password != null && !password.isBlank()) {
      users.putUser("admin", password, Role.ADMIN);
      adminPasswordNote = "user admin, password from AJR_ADMIN_PASSWORD";
      return;
    }
    password = PasswordHasher.randomSecret().substring(0, 20);
    Path file = config.dataDir().resolve("initial-admin-password");
    Files.writeString(file, password + "\n");
    ownerOnly(file);
    users.putUser("admin", password, Role.ADMIN);
    adminPasswordNote = "user admin, password in " + file.toAbsolutePath();
  }

  /**
   * Makes sure node agents have a token: the one in the agent token file, registered for the user
   * {@code agent} (role agent), or a new one written to that file (readable by its owner only).
   */
  private void ensureAgentToken() throws IOException {
    if (users.user(AGENT_USER).isEmpty()) {
      users.putUser(AGENT_USER, PasswordHasher.randomSecret(), Role.AGENT);
    }
    Path file = config.ingest().agentTokenFile();
    if (Files.isRegularFile(file)) {
      String token = Files.readString(file).strip();
      if (token.isEmpty()) {
        throw new IOException(
            "the agent token file " + file + " is empty; delete it for a new one");
      }
      users.registerToken(AGENT_USER, "agent token file", token);
      return;
    }
    String token = users.createToken(AGENT_USER, "agent token file");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, token + "\n");
    ownerOnly(file);
    log.info("node agents authenticate with the token in {}", file.toAbsolutePath());
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX filesystem: the file keeps its default permissions
    }
  }

  /** Where to find the first administrator's password, or empty when users existed already. */
  public String adminPasswordNote() {
    return adminPasswordNote;
  }

  /** The audit trail. */
  public SqlAuditLog audit() {
    return audit;
  }

  /** The in-process bus: subscribers get every event on the publishing thread. */
  public InProcessEventBus events() {
    return events;
  }

  public SqlRecoveryStore store() {
    return store;
  }

  public UserStore users() {
    return users;
  }

  public int port() {
    return api.port();
  }

  public String url() {
    return (api.secure() ? "https://" : "http://") + config.server().host() + ":" + api.port();
  }

  @Override
  public void close() {
    follower.shutdownNow();
    if (election != null) {
      election.close();
    }
    retention.close();
    poller.close();
    if (loki != null) {
      loki.close();
    }
    logs.close();
    if (ldap != null) {
      ldap.close();
    }
    recoveries.shutdownNow();
    try {
      recoveries.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    api.close();
    if (relay != null) {
      relay.close();
    }
    if (notifier != null) {
      notifier.close();
    }
    db.close();
  }
}
