package dev.ajr.server.app;

import com.rabbitmq.client.impl.MicrometerMetricsCollector;
import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.node.NodeControl;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.scheduler.Scheduler;
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
import dev.ajr.server.files.PrivateFiles;
import dev.ajr.server.http.AdminEndpoints;
import dev.ajr.server.http.ApiParts;
import dev.ajr.server.http.ApiServer;
import dev.ajr.server.http.IngestEndpoints;
import dev.ajr.server.http.MetricsScrape;
import dev.ajr.server.http.NodeEndpoints;
import dev.ajr.server.http.SlurmHooks;
import dev.ajr.server.http.WebLogins;
import dev.ajr.server.http.tls.TlsSettings;
import dev.ajr.server.ingest.IngestAdmission;
import dev.ajr.server.metrics.AjrMeters;
import dev.ajr.server.metrics.LeaseMeter;
import dev.ajr.server.metrics.MetricsPort;
import dev.ajr.server.metrics.RecoveryEventMeters;
import dev.ajr.server.metrics.ServerMetrics;
import dev.ajr.server.nodes.NodeChangeLog;
import dev.ajr.server.notify.Notifier;
import dev.ajr.server.rules.RuleCatalog;
import dev.ajr.server.service.Service;
import dev.ajr.server.service.ServiceGroup;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlJobBrowser;
import dev.ajr.server.store.SqlKpis;
import dev.ajr.server.store.SqlOutbox;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of one {@code ajr server} from its configuration, one
 * method per area (the stores, leadership, events, the pipeline of {@link PipelineWiring},
 * credentials, the API, the replica role), each adding the long-running parts it made to a list of
 * {@link Service}s in start order. A feature that is off adds nothing, so no part is ever null.
 * Parts that act on Slurm go to a second list, started by the {@link ReplicaRole} when this server
 * may act. Nothing here starts a thread or talks to Slurm; the database is opened (and migrated)
 * and the API's port is bound.
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

  private final AjrConfig config;
  private final Clock clock;
  private final ServerMetrics metrics;
  private final AjrMeters meters;
  private final List<Service> services = new ArrayList<>();
  private final List<Service> acting = new ArrayList<>();

  private ServerWiring(AjrConfig config, Clock clock, ServerMetrics metrics) {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.meters = metrics.meters();
  }

  /**
   * Builds the server. On a failure, whatever was opened is closed before the exception leaves.
   *
   * @param metrics where every part reports; closed with the server
   */
  static Built build(
      AjrConfig config,
      Scheduler scheduler,
      NodeControl nodeControl,
      Clock clock,
      ServerMetrics metrics)
      throws IOException {
    return new ServerWiring(config, clock, metrics).build(scheduler, nodeControl);
  }

  private Built build(Scheduler scheduler, NodeControl nodeControl) throws IOException {
    privateFiles();
    try {
      services.add(Service.closing("metrics", metrics));
      Stores stores = Stores.open(config, clock);
      services.add(Service.closing("database", stores.db()));
      stores.db().reportPoolTo(meters.registry());
      Leadership leadership = leadership(stores);
      meters.gauge(
          AjrMeters.LEADER, "1 when this server acts on Slurm", () -> leadership.acts() ? 1 : 0);
      InProcessEventBus events = new InProcessEventBus();
      EventSink sink = events(stores, events);
      RuleCatalog.Loaded rules = RuleCatalog.load(config.rulesDir());
      rules.problems().forEach(p -> log.warn("rule left out: {}", p));
      PipelineWiring.Pipeline pipeline =
          PipelineWiring.build(
              config,
              clock,
              stores,
              sink,
              events,
              rules,
              scheduler,
              nodeControl,
              leadership,
              acting,
              meters);
      FirstStartCredentials credentials = credentials(stores);
      ApiServer api = api(stores, events, rules, pipeline, leadership);
      replicas(stores, pipeline, leadership);
      return new Built(List.copyOf(services), stores, events, credentials, leadership, api);
    } catch (IOException | RuntimeException e) {
      new ServiceGroup("acting parts built so far", acting).close();
      new ServiceGroup("parts built so far", services).close();
      throw e;
    }
  }

  /**
   * The data directory and the files in it readable by ajr's user only (narrowed, with a warning,
   * where they are looser); a warning when the TLS key is readable by others.
   */
  private void privateFiles() throws IOException {
    for (String change : PrivateFiles.secure(config.dataDir())) {
      log.warn("{}", change);
    }
    TlsSettings tls = config.server().tls();
    if (tls.enabled() && PrivateFiles.readableByOthers(tls.keyFile())) {
      log.warn(
          "the TLS key {} is readable by other users; make it readable by ajr's user only"
              + " (chmod 600)",
          tls.keyFile());
    }
  }

  /** A single server acts alone; a replica takes part in the election (its rounds counted). */
  private Leadership leadership(Stores stores) {
    LeaseMeter lease = meters.lease(); // registered either way: a single server shows no rounds
    if (!config.cluster().replicas()) {
      return Leadership.single();
    }
    return Leadership.elected(
        new LeaderElection(
            new LeaderLease(stores.db()),
            config.cluster().replicaId(),
            config.cluster().leaseDuration(),
            clock,
            lease));
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
    events.subscribe(meters.recoveryEvents(recoveryLookup(stores)));
    meters.gauge(
        AjrMeters.RECOVERIES_IN_FLIGHT,
        "decisions stored and not finished",
        () -> unfinishedDecisions(stores));
    EventSink afterCommit = event -> db.afterCommit(() -> events.publish(event));
    EventSink sink = afterCommit;
    if (config.events().amqpEnabled()) {
      SqlOutbox outbox = new SqlOutbox(db);
      AmqpRelay relay =
          new AmqpRelay(
              config.events().amqp(),
              outbox,
              clock,
              new MicrometerMetricsCollector(meters.registry(), AjrMeters.RABBITMQ_PREFIX));
      sink =
          EventSinks.inOrder(
              new OutboxEventSink(outbox, clock, () -> db.afterCommit(relay::wake)), afterCommit);
      services.add(Service.of("event relay", relay::start, relay::close));
    }
    if (config.notifications().enabled()) {
      Notifier notifier = Notifier.fromConfig(config.notifications(), stores.recovery(), clock);
      events.subscribe(notifier);
      String what = "notifications by outcome";
      meters.countedElsewhere(
          AjrMeters.NOTIFICATIONS, what, notifier, Notifier::delivered, "outcome", "sent");
      meters.countedElsewhere(
          AjrMeters.NOTIFICATIONS, what, notifier, Notifier::failed, "outcome", "failed");
      meters.countedElsewhere(
          AjrMeters.NOTIFICATIONS, what, notifier, Notifier::dropped, "outcome", "dropped");
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

  /** What the recovery meters read back: a job's anomaly by id, an attempt's decision. */
  private static RecoveryEventMeters.Lookup recoveryLookup(Stores stores) {
    return new RecoveryEventMeters.Lookup() {
      @Override
      public Optional<Anomaly> anomaly(long jobId, long anomalyId) {
        return stores.recovery().anomalies(jobId).stream()
            .filter(a -> a.id() == anomalyId)
            .findFirst();
      }

      @Override
      public Optional<Decision> decisionFor(long jobId, int attemptIndex) {
        return stores.recovery().decisionFor(jobId, attemptIndex);
      }
    };
  }

  /** The decisions not finished, or NaN when the database does not answer. */
  private static double unfinishedDecisions(Stores stores) {
    try {
      return stores.recovery().unfinishedDecisions().size();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
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
      PipelineWiring.Pipeline pipeline,
      Leadership leadership)
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
    IngestAdmission admission = new IngestAdmission(config.ingest().limits(), clock);
    meters.countedElsewhere(
        AjrMeters.INGEST_REFUSED,
        "log-sending requests refused with 429 or 413 (the sender sends them again)",
        admission,
        IngestAdmission::refusals);
    meters.gauge(
        AjrMeters.INGEST_IN_FLIGHT,
        "bytes held by log-sending requests being read or handled",
        admission::inFlight);
    ApiServer api =
        new ApiServer(
            new ApiParts(
                config.server().host(),
                config.server().port(),
                config.server().tls(),
                config.server().network(),
                stores.recovery(),
                new SqlJobBrowser(stores.db()),
                stores.users(),
                new Authenticator(stores.users(), clock, directories),
                () -> !leadership.acts() || pipeline.poller().healthy(),
                leadership::role,
                new IngestEndpoints(
                    pipeline.agents(),
                    pipeline.router(),
                    pipeline.loki(),
                    config.logs().maxLineBytes(),
                    admission),
                new NodeEndpoints(stores.nodes(), pipeline.nodes()),
                new AdminEndpoints(
                    new SqlKpis(stores.db()), rules, stores.audit(), () -> settings, clock),
                new WebLogins(
                    stores.sessions(),
                    new LoginGuard(
                        clock,
                        web.failuresPerUser(),
                        web.failuresPerAddress(),
                        web.loginWindow(),
                        web.loginMaxDelay()),
                    stores.audit(),
                    clock),
                events,
                new ServerReadiness(stores.db(), leadership, pipeline.poller()),
                new MetricsScrape(metrics::scrape, config.metrics().token()),
                jobId ->
                    leadership.acts()
                        ? pipeline.poller().jobChanged(jobId)
                        : SlurmHooks.Outcome.NOT_TRACKING));
    services.add(Service.of("api", api::start, api::close));
    if (config.metrics().ownPort()) {
      MetricsPort port = new MetricsPort(config.metrics().host(), config.metrics().port(), metrics);
      services.add(Service.of("metrics port", port::start, port::close));
    }
    return api;
  }

  /**
   * The switch that starts the acting parts: at once for a single server, on election for one of
   * several replicas, which also sweeps (leader) or refreshes from the store (follower) each
   * second.
   */
  private void replicas(Stores stores, PipelineWiring.Pipeline pipeline, Leadership leadership) {
    services.add(
        new ReplicaRole(
            leadership,
            new ServiceGroup("acting services", acting),
            new LeaderSweep(
                stores.recovery(),
                stores.nodes(),
                stores.marks(),
                pipeline.progress(),
                pipeline.runner(),
                clock),
            new FollowerRefresh(stores.recovery(), pipeline.router(), pipeline.excerpts()),
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
