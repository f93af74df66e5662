package dev.ajr.server.app;

import dev.ajr.core.node.NodeControl;
import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.config.SlurmConfig;
import dev.ajr.server.events.InProcessEventBus;
import dev.ajr.server.metrics.ServerMetrics;
import dev.ajr.server.metrics.SlurmCommandMeters;
import dev.ajr.server.service.ServiceGroup;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlAuditLog;
import dev.ajr.server.store.SqlRecoveryStore;
import dev.ajr.slurm.CommandRunner;
import dev.ajr.slurm.ProcessCommandRunner;
import dev.ajr.slurm.SlurmCliScheduler;
import dev.ajr.slurm.SlurmNodeControl;
import dev.ajr.slurm.rest.HttpRestTransport;
import dev.ajr.slurm.rest.SlurmRestScheduler;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code ajr server}: its parts are built by {@link ServerWiring} (the composition root) and
 * run as a {@link ServiceGroup}: {@link #start} starts them in order (the database, the event relay
 * and the notifier when configured, the first-start credentials, the API, then the services that
 * act on Slurm, at once or, with replicas, once this one is elected), {@link #close} stops them in
 * reverse, and a failed start closes what started. docs/architecture.md lists the services and
 * their threads.
 */
public final class AjrServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AjrServer.class);

  private final AjrConfig config;
  private final ServerWiring.Built parts;
  private final ServiceGroup services;

  /**
   * A server on Slurm's command-line tools or slurmrestd ({@code slurm.tracking-path}; each command
   * and request timed) and the system clock.
   */
  public AjrServer(AjrConfig config) throws IOException {
    this(config, new ServerMetrics());
  }

  private AjrServer(AjrConfig config, ServerMetrics metrics) throws IOException {
    this(config, slurmRunner(metrics), metrics);
  }

  private AjrServer(AjrConfig config, CommandRunner slurm, ServerMetrics metrics)
      throws IOException {
    this(
        config,
        scheduler(config.slurm(), slurm, metrics),
        new SlurmNodeControl(slurm, config.slurm().commandTimeout()),
        Clock.systemUTC(),
        metrics);
  }

  /**
   * The scheduler {@code slurm.tracking-path} names: the command-line adapter, or the slurmrestd
   * adapter (its requests timed with the commands), which does through the command-line adapter
   * what slurmrestd's API cannot.
   */
  static Scheduler scheduler(SlurmConfig slurm, CommandRunner commands, ServerMetrics metrics) {
    SlurmCliScheduler cli =
        new SlurmCliScheduler(commands, slurm.commandTimeout(), slurm.listingFormat());
    return switch (slurm.trackingPath()) {
      case CLI -> cli;
      case REST ->
          new SlurmRestScheduler(
              slurm.rest(),
              metrics
                  .meters()
                  .slurmCommands()
                  .timing(new HttpRestTransport(slurm.commandTimeout())),
              cli);
    };
  }

  /**
   * Builds the server: opens (and migrates) the database and binds the API's port; starts nothing.
   */
  public AjrServer(AjrConfig config, Scheduler scheduler, NodeControl nodeControl, Clock clock)
      throws IOException {
    this(config, scheduler, nodeControl, clock, new ServerMetrics());
  }

  /**
   * Builds the server with the meters it reports to (closed with it); a scheduler over {@link
   * SlurmCommandMeters#timing} reports Slurm's commands there too.
   */
  public AjrServer(
      AjrConfig config,
      Scheduler scheduler,
      NodeControl nodeControl,
      Clock clock,
      ServerMetrics metrics)
      throws IOException {
    this.config = config;
    this.parts = ServerWiring.build(config, scheduler, nodeControl, clock, metrics);
    this.services = new ServiceGroup("ajr server", parts.services());
  }

  /** Slurm's command-line tools, each command timed. */
  private static CommandRunner slurmRunner(ServerMetrics metrics) {
    return metrics.meters().slurmCommands().timing(new ProcessCommandRunner());
  }

  /** The configured database, or the embedded SQLite file in the data directory. */
  public static Database openDatabase(AjrConfig config) {
    return Stores.openDatabase(config);
  }

  /**
   * Starts every service; returns when the API answers and tracking has begun. One of several
   * replicas starts as a follower (API, agents and shippers, detection from the shared store) and
   * acts only once it holds the leader lease.
   *
   * @throws ServiceGroup.StartFailed naming the part that could not start; everything is closed
   */
  public void start() throws ServiceGroup.StartFailed {
    config.startupSummary().forEach(log::info);
    services.start();
    log.info("ajr server started: {}", String.join(", ", services.names()));
  }

  /** Where to find the first administrator's password, or empty when users existed already. */
  public String adminPasswordNote() {
    return parts.credentials().adminPasswordNote();
  }

  /** The audit trail. */
  public SqlAuditLog audit() {
    return parts.stores().audit();
  }

  /** The in-process bus: subscribers get every event on the publishing thread. */
  public InProcessEventBus events() {
    return parts.events();
  }

  public SqlRecoveryStore store() {
    return parts.stores().recovery();
  }

  public UserStore users() {
    return parts.stores().users();
  }

  /** leader, follower, or single (no replicas). */
  public String role() {
    return parts.leadership().role();
  }

  /** The port the API is bound to (useful with port 0). */
  public int port() {
    return parts.api().port();
  }

  public String url() {
    return (parts.api().secure() ? "https://" : "http://") + config.server().host() + ":" + port();
  }

  @Override
  public void close() {
    services.close();
  }
}
