package dev.ajr.server.app;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.job.DirectiveParser;
import dev.ajr.core.node.NodeControl;
import dev.ajr.core.node.NodeEvidence;
import dev.ajr.core.node.NodeIsolator;
import dev.ajr.core.progress.ProgressMonitor;
import dev.ajr.core.progress.StragglerSettings;
import dev.ajr.core.recovery.AnomalyHandler;
import dev.ajr.core.recovery.DecisionSettings;
import dev.ajr.core.recovery.Pacer;
import dev.ajr.core.recovery.RecoveryExecutor;
import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.core.tracking.JobTracker;
import dev.ajr.server.audit.EventAudit;
import dev.ajr.server.auth.Authenticator;
import dev.ajr.server.auth.Directory;
import dev.ajr.server.auth.FirstStartCredentials;
import dev.ajr.server.auth.LdapDirectory;
import dev.ajr.server.auth.LoginGuard;
import dev.ajr.server.cluster.LeaderElection;
import dev.ajr.server.cluster.LeaderLease;
import dev.ajr.server.cluster.Leadership;
import dev.ajr.server.cluster.ReplicaRole;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.config.EffectiveSettings;
import dev.ajr.server.config.WebConfig;
import dev.ajr.server.events.AmqpRelay;
import dev.ajr.server.events.EventSinks;
import dev.ajr.server.events.InProcessEventBus;
import dev.ajr.server.events.OutboxEventSink;
import dev.ajr.server.http.AdminEndpoints;
import dev.ajr.server.http.ApiParts;
import dev.ajr.server.http.ApiServer;
import dev.ajr.server.http.IngestEndpoints;
import dev.ajr.server.http.NodeEndpoints;
import dev.ajr.server.http.WebLogins;
import dev.ajr.server.ingest.AgentIngest;
import dev.ajr.server.ingest.ExcerptRecorder;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.ingest.LokiLines;
import dev.ajr.server.ingest.StreamGate;
import dev.ajr.server.ingest.loki.LokiSource;
import dev.ajr.server.logs.LineHandler;
import dev.ajr.server.logs.LogFollowService;
import dev.ajr.server.nodes.NodeChangeLog;
import dev.ajr.server.nodes.RepairWebhook;
import dev.ajr.server.notify.Notifier;
import dev.ajr.server.rules.RuleCatalog;
import dev.ajr.server.service.Service;
import dev.ajr.server.service.ServiceGroup;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlJobBrowser;
import dev.ajr.server.store.SqlKpis;
import dev.ajr.server.store.SqlLogOffsets;
import dev.ajr.server.store.SqlOutbox;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of one {@code ajr server} from its configuration, one
 * method per area, each adding the long-running parts it made to a list of {@link Service}s in
 * start order. A feature that is off adds nothing. Parts that act on Slurm go to a second list,
 * started by the {@link ReplicaRole} when this server may act. Nothing here starts a thread or
 * talks to Slurm; the database is opened (and migrated) and the API's port is bound.
 */
final class ServerWiring {

  private static final Logger log = LoggerFactory.getLogger(ServerWiring.class);

  /** The parts the {@link AjrServer} exposes, and its services in start order. */
  record Built(
      List<Service> services,
      Stores stores,
      InProcessEventBus events,
      FirstStartCredentials credentials,
      Leadership leadership,
      ApiServer api) {}

  /**
   * The recovery side: decisions and node work on recovery threads, gated by leadership; writes to
   * one job happen under its stripe of {@code locks}.
   */
  private record Recovery(
      JobLocks locks, RecoveryRunner runner, NodeIsolator nodes, AnomalyHandler anomalies) {}

  /**
   * Where lines from files, agents and shippers go, and what watches progress. {@code onActive} are
   * told the active attempts after each read of Slurm, in order.
   */
  private record Ingest(
      List<Consumer<List<ActiveAttempt>>> onActive,
      LineRouter router,
      ExcerptRecorder excerpts,
      ProgressMonitor progress,
      AgentIngest agents,
      LokiLines loki) {}

  private final AjrConfig config;
  private final Clock clock;
  private final List<Service> services = new ArrayList<>();
  private final List<Service> acting = new ArrayList<>();

  private ServerWiring(AjrConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Builds the server. On a failure, whatever was opened is closed before the exception leaves. */
  static Built build(AjrConfig config, Scheduler scheduler, NodeControl nodeControl, Clock clock)
      throws IOException {
    return new ServerWiring(config, clock).build(scheduler, nodeControl);
  }

  private Built build(Scheduler scheduler, NodeControl nodeControl) throws IOException {
    try {
      Stores stores = Stores.open(config, clock);
      services.add(Service.closing("database", stores.db()));
      Leadership leadership = leadership(stores);
      InProcessEventBus events = new InProcessEventBus();
      EventSink sink = events(stores, events);
      RuleCatalog.Loaded rules = RuleCatalog.load(config.rulesDir());
      rules.problems().forEach(p -> log.warn("rule left out: {}", p));
      LatestJobs latest = new LatestJobs();
      Recovery recovery =
          recovery(stores, sink, events, rules, scheduler, nodeControl, leadership, latest);
      Ingest ingest = ingest(stores, events, rules, recovery, leadership);
      SchedulerPoller poller = tracking(stores, sink, scheduler, recovery, ingest, latest);
      FirstStartCredentials credentials = credentials(stores);
      ApiServer api = api(stores, events, rules, ingest, recovery, leadership, poller);
      replicas(stores, recovery, ingest, leadership);
      return new Built(List.copyOf(services), stores, events, credentials, leadership, api);
    } catch (IOException | RuntimeException e) {
      new ServiceGroup("parts built so far", services).close();
      throw e;
    }
  }

  private Leadership leadership(Stores stores) {
    if (!config.cluster().replicas()) {
      return Leadership.single();
    }
    return Leadership.elected(
        new LeaderElection(
            new LeaderLease(stores.db()),
            config.cluster().replicaId(),
            config.cluster().leaseDuration(),
            clock));
  }

  /**
   * Where components publish: the in-process bus after the commit, and, with {@code
   * events.amqp-url}, first the outbox that the relay sends to RabbitMQ (written in the same
   * transaction as the change it reports). Adds the relay and the notifier when configured.
   */
  private EventSink events(Stores stores, InProcessEventBus events) {
    Database db = stores.db();
    events.subscribe(new EventAudit(stores.audit()));
    events.subscribe(new NodeChangeLog());
    EventSink afterCommit = event -> db.afterCommit(() -> events.publish(event));
    EventSink sink = afterCommit;
    if (config.events().amqpEnabled()) {
      SqlOutbox outbox = new SqlOutbox(db);
      AmqpRelay relay = new AmqpRelay(config.events().amqp(), outbox, clock);
      sink =
          EventSinks.inOrder(
              new OutboxEventSink(outbox, clock, () -> db.afterCommit(relay::wake)), afterCommit);
      services.add(Service.of("event relay", relay::start, relay::close));
    }
    if (config.notifications().enabled()) {
      Notifier notifier = Notifier.fromConfig(config.notifications(), stores.recovery(), clock);
      events.subscribe(notifier);
      List<String> to = config.notifications().destinations().stream().map(d -> d.name()).toList();
      services.add(
          Service.of(
              "notifier",
              () -> {
                notifier.start(stores.recovery().unfinishedDecisions());
                log.info("notifications go to {}", to);
              },
              notifier::close));
    }
    return sink;
  }

  /**
   * Decisions and node drains. A decision runs on a recovery thread when this server acts (a
   * follower leaves it stored for the leader's sweep). Without replicas, anomalies that point at a
   * node go to the node isolator at once; with replicas the leader's sweep takes every stored one.
   */
  private Recovery recovery(
      Stores stores,
      EventSink sink,
      InProcessEventBus events,
      RuleCatalog.Loaded rules,
      Scheduler scheduler,
      NodeControl nodeControl,
      Leadership leadership,
      LatestJobs latest) {
    JobLocks locks = new JobLocks();
    RecoveryExecutor executor =
        new RecoveryExecutor(
            scheduler,
            stores.recovery(),
            sink,
            locks,
            clock,
            Pacer.REAL,
            config.recovery().executor(),
            StopAtStep.fromEnvironment(config.dataDir()),
            leadership.fence());
    NodeIsolator nodes =
        new NodeIsolator(
            stores.nodes(),
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
            leadership.fence());
    RecoveryRunner runner = new RecoveryRunner(executor, nodes);
    acting.add(runner);
    AnomalyHandler anomalies =
        new AnomalyHandler(
            rules.engine(),
            stores.recovery(),
            latest,
            sink,
            locks,
            clock,
            decisionId -> {
              if (leadership.acts()) {
                runner.execute(decisionId);
              }
            },
            new DecisionSettings(
                config.recovery().limits(),
                config.recovery().policy(),
                config.recovery().mode(),
                config.recovery().cascadeSettle()));
    if (!leadership.replicated()) {
      events.subscribe(event -> {
        if (event instanceof AjrEvent.AnomalyDetected detected) {
          runner.isolate(NodeEvidence.of(detected.anomaly()));
        }
      });
    }
    return new Recovery(locks, runner, nodes, anomalies);
  }

  /**
   * Lines from the shared filesystem (the log follower, when {@code logs.follow-files}), node
   * agents, Loki pushes and the Loki query source (when {@code loki.url}) all reach the same line
   * handler: excerpts first, then detection and the progress monitor. A kernel line that reaches no
   * job is node evidence, acted on by a server that acts.
   */
  private Ingest ingest(
      Stores stores,
      InProcessEventBus events,
      RuleCatalog.Loaded rules,
      Recovery recovery,
      Leadership leadership) {
    DirectiveParser directives = new DirectiveParser();
    ProgressMonitor progress =
        new ProgressMonitor(
            config.recovery().hang(),
            StragglerSettings.DEFAULTS,
            jobId ->
                stores.recovery().job(jobId).flatMap(j -> directives.hangTimeout(j.comment())));
    ExcerptRecorder excerpts = new ExcerptRecorder(stores.recovery(), clock);
    events.subscribe(excerpts);
    LineHandler lines =
        excerpts.before((jobId, attempt, node, line) -> {
          recovery.anomalies().onLine(jobId, attempt, node, line);
          progress
              .onLine(jobId, attempt, line.text(), line.readAt())
              .ifPresent(event -> stores.marks().record(jobId, attempt, event, line.readAt()));
        });
    LineRouter router =
        new LineRouter(
            lines,
            jobId -> stores.recovery().attempts(jobId).stream().mapToInt(a -> a.index()).max(),
            new KernelEvidence(rules.engine(), leadership, recovery.runner()),
            clock);
    List<Consumer<List<ActiveAttempt>>> onActive = new ArrayList<>();
    if (config.ingest().followFiles()) {
      LogFollowService files =
          new LogFollowService(lines, clock, config.logs(), new SqlLogOffsets(stores.db(), clock));
      acting.add(Service.of("log follower", files::start, files::close));
      onActive.add(files::update);
    }
    onActive.add(router::update);
    onActive.add(excerpts::update);
    StreamGate gate = new StreamGate(stores.positions());
    LokiLines lokiLines = new LokiLines(router, gate, config.ingest().labels(), clock);
    if (config.loki().enabled()) {
      LokiSource loki =
          LokiFollowing.create(config.loki().settings(), lokiLines, stores.positions(), clock);
      acting.add(Service.of("loki source", loki::start, loki::close));
    }
    return new Ingest(
        onActive,
        router,
        excerpts,
        progress,
        new AgentIngest(gate, router, clock, config.logs().maxLineBytes()),
        lokiLines);
  }

  /**
   * Reading Slurm: the poller reconciles the store with each read and tells the log follower, the
   * router, the excerpts and the progress monitor which attempts are active; hangs and slowdowns
   * become anomalies, and cascade symptoms whose window passed are decided. Retention prunes.
   */
  private SchedulerPoller tracking(
      Stores stores,
      EventSink sink,
      Scheduler scheduler,
      Recovery recovery,
      Ingest ingest,
      LatestJobs latest) {
    ProgressSignals signals = new ProgressSignals(recovery.anomalies(), clock);
    SchedulerPoller poller =
        new SchedulerPoller(
            scheduler,
            new JobTracker(stores.recovery(), sink, recovery.locks(), clock),
            active -> {
              ingest.onActive().forEach(listener -> listener.accept(active));
              ingest.progress().update(active);
              signals.report(ingest.progress().check(clock.instant()), active);
              recovery.anomalies().decideSettled();
            },
            config.slurm().pollInterval(),
            latest);
    acting.add(poller);
    acting.add(
        new Retention(
            stores.recovery(),
            stores.positions(),
            stores.audit(),
            stores.sessions(),
            clock,
            config.retention().finishedJobs(),
            config.retention().auditKeep(),
            config.retention().interval()));
    return poller;
  }

  /** The first administrator and the agents' token, before anything can be logged in to. */
  private FirstStartCredentials credentials(Stores stores) {
    FirstStartCredentials credentials =
        new FirstStartCredentials(
            stores.users(),
            config.dataDir(),
            config.ingest().agentTokenFile(),
            System.getenv("AJR_ADMIN_PASSWORD"));
    services.add(credentials);
    services.add(Service.of("browser sessions", stores.sessions()::prune, () -> {}));
    return credentials;
  }

  /** The API and the web UI, with LDAP logins when {@code auth.ldap.uri} is set. */
  private ApiServer api(
      Stores stores,
      InProcessEventBus events,
      RuleCatalog.Loaded rules,
      Ingest ingest,
      Recovery recovery,
      Leadership leadership,
      SchedulerPoller poller)
      throws IOException {
    List<Directory> directories = new ArrayList<>();
    if (config.ldap().enabled()) {
      LdapDirectory ldap = new LdapDirectory(config.ldap().settings());
      log.info("LDAP logins: {}", config.ldap().settings());
      services.add(Service.closing("ldap directory", ldap));
      directories.add(ldap);
    }
    WebConfig web = config.web();
    List<EffectiveSettings.Setting> settings = config.settings();
    ApiServer api =
        new ApiServer(
            new ApiParts(
                config.server().host(),
                config.server().port(),
                config.server().tls(),
                stores.recovery(),
                new SqlJobBrowser(stores.db()),
                stores.users(),
                new Authenticator(stores.users(), clock, directories),
                () -> leadership.role().equals("follower") || poller.healthy(),
                leadership::role,
                new IngestEndpoints(
                    ingest.agents(), ingest.router(), ingest.loki(), config.logs().maxLineBytes()),
                new NodeEndpoints(stores.nodes(), recovery.nodes()),
                new AdminEndpoints(
                    new SqlKpis(stores.db()), rules, stores.audit(), () -> settings, clock),
                new WebLogins(
                    stores.sessions(),
                    new LoginGuard(
                        clock, web.failuresPerUser(), web.failuresPerAddress(), web.loginWindow()),
                    stores.audit()),
                events));
    services.add(Service.of("api", api::start, api::close));
    return api;
  }

  /**
   * The switch that starts the acting parts: at once for a single server, on election for one of
   * several replicas, which also sweeps (leader) or refreshes from the store (follower) each
   * second.
   */
  private void replicas(Stores stores, Recovery recovery, Ingest ingest, Leadership leadership) {
    services.add(
        new ReplicaRole(
            leadership,
            new ServiceGroup("acting services", acting),
            new LeaderSweep(
                stores.recovery(),
                stores.nodes(),
                stores.marks(),
                ingest.progress(),
                recovery.runner(),
                clock),
            new FollowerRefresh(stores.recovery(), ingest.router(), ingest.excerpts()),
            ServerWiring::onLeadershipLost));
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
}
