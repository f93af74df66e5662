package dev.ajr.server.http;

import dev.ajr.core.store.JobBrowser;
import dev.ajr.core.store.RecoveryStore;
import dev.ajr.core.testing.MemoryNodeControl;
import dev.ajr.server.auth.Authenticator;
import dev.ajr.server.auth.LoginGuard;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.auth.WebSessions;
import dev.ajr.server.config.ConfigLoader;
import dev.ajr.server.config.EffectiveSettings;
import dev.ajr.server.events.InProcessEventBus;
import dev.ajr.server.http.tls.TlsSettings;
import dev.ajr.server.ingest.AgentIngest;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.ingest.LokiLines;
import dev.ajr.server.ingest.StreamGate;
import dev.ajr.server.ingest.StreamLabels;
import dev.ajr.server.rules.RuleCatalog;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlAuditLog;
import dev.ajr.server.store.SqlIngestPositions;
import dev.ajr.server.store.SqlJobBrowser;
import dev.ajr.server.store.SqlKpis;
import dev.ajr.server.store.SqlNodeStore;
import dev.ajr.server.store.SqlRecoveryStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

/**
 * Builds an {@link ApiServer} for tests: every part real and cheap, over the test's database, on
 * 127.0.0.1 and a free port. A test replaces the parts it looks at; the others are:
 *
 * <ul>
 *   <li>the SQL store, jobs list, users (no one) and authenticator (local users only);
 *   <li>Slurm reachable, role "single";
 *   <li>log ingest whose lines go nowhere, no nodes known, the built-in rules, the default settings
 *       and the SQL audit trail;
 *   <li>browser sessions with the standard login throttle, audited to the same trail;
 *   <li>a bus of its own, plain HTTP, no public URL and no trusted proxies;
 *   <li>ready (the database check passed), no metrics and no metrics token;
 *   <li>no tracker for Slurm's hooks (every word "not tracking").
 * </ul>
 */
public final class TestApi {

  private static volatile RuleCatalog.Loaded builtInRules;

  private final Database db;
  private final Clock clock;
  private String host = "127.0.0.1";
  private int port;
  private TlsSettings tls = TlsSettings.OFF;
  private ClientNetwork network = ClientNetwork.DIRECT;
  private RecoveryStore store;
  private JobBrowser jobs;
  private UserStore users;
  private Authenticator auth;
  private BooleanSupplier slurmReachable = () -> true;
  private java.util.function.Supplier<String> role = () -> "single";
  private IngestEndpoints ingest;
  private NodeEndpoints nodes;
  private AdminEndpoints admin;
  private WebLogins logins;
  private InProcessEventBus events;
  private java.util.function.Supplier<Readiness> readiness =
      () -> new Readiness(Map.of("database", "ok"), List.of());
  private MetricsScrape metrics = MetricsScrape.NONE;
  private SlurmHooks slurmHooks = SlurmHooks.NONE;

  private TestApi(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A server over this database (its schema is created) with this clock. */
  public static TestApi on(Database db, Clock clock) {
    return new TestApi(db, clock);
  }

  public TestApi port(int port) {
    this.port = port;
    return this;
  }

  public TestApi tls(TlsSettings tls) {
    this.tls = tls;
    return this;
  }

  public TestApi network(ClientNetwork network) {
    this.network = network;
    return this;
  }

  public TestApi store(RecoveryStore store) {
    this.store = store;
    return this;
  }

  public TestApi users(UserStore users) {
    this.users = users;
    return this;
  }

  public TestApi auth(Authenticator auth) {
    this.auth = auth;
    return this;
  }

  public TestApi slurmReachable(BooleanSupplier slurmReachable) {
    this.slurmReachable = slurmReachable;
    return this;
  }

  public TestApi ingest(IngestEndpoints ingest) {
    this.ingest = ingest;
    return this;
  }

  public TestApi nodes(NodeEndpoints nodes) {
    this.nodes = nodes;
    return this;
  }

  public TestApi admin(AdminEndpoints admin) {
    this.admin = admin;
    return this;
  }

  public TestApi logins(WebLogins logins) {
    this.logins = logins;
    return this;
  }

  public TestApi events(InProcessEventBus events) {
    this.events = events;
    return this;
  }

  public TestApi readiness(java.util.function.Supplier<Readiness> readiness) {
    this.readiness = readiness;
    return this;
  }

  public TestApi slurmHooks(SlurmHooks slurmHooks) {
    this.slurmHooks = slurmHooks;
    return this;
  }

  public TestApi metrics(MetricsScrape metrics) {
    this.metrics = metrics;
    return this;
  }

  /** The parts, the unset ones made as the class comment says. */
  public ApiParts parts() {
    RecoveryStore s = store != null ? store : new SqlRecoveryStore(db, clock);
    UserStore u = users != null ? users : new UserStore(db, clock);
    AdminEndpoints a = admin != null ? admin : defaultAdmin();
    return new ApiParts(
        host,
        port,
        tls,
        network,
        s,
        jobs != null ? jobs : new SqlJobBrowser(db),
        u,
        auth != null ? auth : new Authenticator(u, clock),
        slurmReachable,
        role,
        ingest != null ? ingest : defaultIngest(),
        nodes != null ? nodes : defaultNodes(),
        a,
        logins != null ? logins : defaultLogins(a),
        events != null ? events : new InProcessEventBus(),
        readiness,
        metrics,
        slurmHooks);
  }

  /** The server, listening but not started. */
  public ApiServer build() throws IOException {
    return new ApiServer(parts());
  }

  /** The server, answering. */
  public ApiServer start() throws IOException {
    ApiServer server = build();
    server.start();
    return server;
  }

  private IngestEndpoints defaultIngest() {
    LineRouter router =
        new LineRouter(
            (jobId, attempt, node, line) -> {}, jobId -> OptionalInt.empty(), (n, l) -> {}, clock);
    StreamGate gate = new StreamGate(new SqlIngestPositions(db, clock));
    return new IngestEndpoints(
        new AgentIngest(gate, router, clock, 65536),
        router,
        new LokiLines(router, gate, StreamLabels.DEFAULTS, clock),
        65536);
  }

  private NodeEndpoints defaultNodes() {
    SqlNodeStore nodeStore = new SqlNodeStore(db);
    return new NodeEndpoints(
        nodeStore, new MemoryNodeControl().isolator(nodeStore, e -> {}, clock));
  }

  private AdminEndpoints defaultAdmin() {
    List<EffectiveSettings.Setting> settings =
        EffectiveSettings.of(ConfigLoader.effectiveValues(null, Map.of()));
    return new AdminEndpoints(
        new SqlKpis(db), rules(), new SqlAuditLog(db, clock), () -> settings, clock);
  }

  private WebLogins defaultLogins(AdminEndpoints a) {
    return new WebLogins(
        new WebSessions(db, clock, Duration.ofHours(12), Duration.ofHours(2)),
        LoginGuard.standard(clock),
        a.audit(),
        clock);
  }

  private static RuleCatalog.Loaded rules() {
    RuleCatalog.Loaded r = builtInRules;
    if (r == null) {
      r = RuleCatalog.builtIn();
      builtInRules = r;
    }
    return r;
  }
}
