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
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.core.tracking.JobTracker;
import dev.ajr.server.cluster.Leadership;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.events.InProcessEventBus;
import dev.ajr.server.ingest.AgentIngest;
import dev.ajr.server.ingest.ExcerptRecorder;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.ingest.LokiLines;
import dev.ajr.server.ingest.StreamGate;
import dev.ajr.server.ingest.loki.LokiSource;
import dev.ajr.server.logs.LineHandler;
import dev.ajr.server.logs.LogFollowService;
import dev.ajr.server.metrics.AjrMeters;
import dev.ajr.server.metrics.IngestMeter;
import dev.ajr.server.nodes.RepairWebhook;
import dev.ajr.server.rules.RuleCatalog;
import dev.ajr.server.service.Service;
import dev.ajr.server.store.SqlLogOffsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root's second half: the pipeline from Slurm reads and log lines to anomalies,
 * decisions and actions, one method per area (recovery, ingest, tracking). Every part that acts on
 * Slurm or reads on its own (recovery threads, the log follower, the Loki source, the scheduler
 * poller, retention) goes to the {@code acting} list, which the {@code ReplicaRole} starts when
 * this server may act. {@link ServerWiring} builds the rest and calls this once.
 */
final class PipelineWiring {

  private static final Logger log = LoggerFactory.getLogger(PipelineWiring.class);

  /** What the rest of the server reads from or hands lines to. */
  record Pipeline(
      RecoveryRunner runner,
      NodeIsolator nodes,
      LineRouter router,
      ExcerptRecorder excerpts,
      ProgressMonitor progress,
      AgentIngest agents,
      LokiLines loki,
      SchedulerPoller poller) {}

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
  private final Stores stores;
  private final List<Service> acting;
  private final AjrMeters meters;

  private PipelineWiring(
      AjrConfig config, Clock clock, Stores stores, List<Service> acting, AjrMeters meters) {
    this.config = config;
    this.clock = clock;
    this.stores = stores;
    this.acting = acting;
    this.meters = meters;
  }

  /**
   * Builds the pipeline; adds its long-running parts to {@code acting}, in start order.
   *
   * @param sink where the pipeline's events go (the outbox and the bus)
   * @param events the in-process bus, for the parts that listen to events
   * @param meters where the pipeline's parts report (rule engine, ingest, follower, poller)
   */
  static Pipeline build(
      AjrConfig config,
      Clock clock,
      Stores stores,
      EventSink sink,
      InProcessEventBus events,
      RuleCatalog.Loaded rules,
      Scheduler scheduler,
      NodeControl nodeControl,
      Leadership leadership,
      List<Service> acting,
      AjrMeters meters) {
    PipelineWiring w = new PipelineWiring(config, clock, stores, acting, meters);
    LatestJobs latest = new LatestJobs();
    Recovery recovery = w.recovery(sink, events, rules, scheduler, nodeControl, leadership, latest);
    Ingest ingest = w.ingest(events, rules, recovery, leadership);
    SchedulerPoller poller = w.tracking(sink, events, scheduler, recovery, ingest, latest);
    return new Pipeline(
        recovery.runner(),
        recovery.nodes(),
        ingest.router(),
        ingest.excerpts(),
        ingest.progress(),
        ingest.agents(),
        ingest.loki(),
        poller);
  }

  /**
   * Decisions and node drains. A decision runs on a recovery thread when this server acts (a
   * follower leaves it stored for the leader's sweep). Without replicas, anomalies that point at a
   * node go to the node isolator at once; with replicas the leader's sweep takes every stored one.
   */
  private Recovery recovery(
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
            meters.ruleEngine(rules.engine()),
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
    meters.countedElsewhere(
        AjrMeters.ANOMALIES_CAPPED,
        "matching lines not stored: their attempt had stored enough anomalies of that rule",
        anomalies,
        AnomalyHandler::cappedMatches);
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
      IngestMeter read = meters.ingest(IngestMeter.Path.FILE);
      LogFollowService files =
          new LogFollowService(
              (jobId, attempt, node, line) -> {
                read.took(line);
                lines.onLine(jobId, attempt, node, line);
              },
              clock,
              config.logs(),
              new SqlLogOffsets(stores.db(), clock));
      meters.bytesGauge(
          AjrMeters.FOLLOWER_BACKLOG,
          "bytes written to followed files and not diagnosed yet (not read, or queued)",
          files::backlogBytes);
      meters.gauge(
          AjrMeters.FOLLOWER_FILES, "files the log follower follows", files::filesFollowed);
      acting.add(Service.of("log follower", files::start, files::close));
      onActive.add(files::update);
    }
    onActive.add(router::update);
    onActive.add(excerpts::update);
    StreamGate gate = new StreamGate(stores.positions());
    LokiLines lokiLines =
        new LokiLines(
            router,
            gate,
            config.ingest().labels(),
            clock,
            meters.ingest(IngestMeter.Path.LOKI_PUSH),
            meters.ingest(IngestMeter.Path.LOKI_QUERY));
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
        new AgentIngest(
            gate,
            router,
            clock,
            config.logs().maxLineBytes(),
            meters.ingest(IngestMeter.Path.AGENT)),
        lokiLines);
  }

  /**
   * Reading Slurm: the poller reconciles the store with each read and tells the log follower, the
   * router, the excerpts and the progress monitor which attempts are active; hangs and slowdowns
   * become anomalies, and cascade symptoms whose window passed are decided. Retention prunes.
   */
  private SchedulerPoller tracking(
      EventSink sink,
      InProcessEventBus events,
      Scheduler scheduler,
      Recovery recovery,
      Ingest ingest,
      LatestJobs latest) {
    ProgressSignals signals = new ProgressSignals(recovery.anomalies(), clock);
    JobTracker tracker =
        new JobTracker(
            stores.recovery(),
            sink,
            recovery.locks(),
            clock,
            jobId -> {
              try {
                return scheduler.fromAccounting(jobId);
              } catch (SchedulerException e) {
                log.warn("cannot ask Slurm's accounting about job {}: {}", jobId, e.getMessage());
                return Optional.empty();
              }
            });
    // The tracker skips jobs whose Slurm record did not change; what the executor and others
    // change in the store must bring a job back into the next round.
    events.subscribe(event -> {
      if (!(event instanceof AjrEvent.AnomalyDetected)
          && !(event instanceof AjrEvent.NodeChanged)) {
        tracker.touched(event.jobId());
      }
    });
    SchedulerPoller poller =
        new SchedulerPoller(
            scheduler,
            tracker,
            active -> {
              ingest.onActive().forEach(listener -> listener.accept(active));
              ingest.progress().update(active);
              signals.report(ingest.progress().check(clock.instant()), active);
              recovery.anomalies().decideSettled();
            },
            config.slurm().pollInterval(),
            config.slurm().maxPollShare(),
            latest,
            meters.poll());
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
}
