package dev.ajr.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ajr.core.job.Job;
import dev.ajr.core.store.JobBrowser;
import dev.ajr.core.store.RecoveryStore;
import dev.ajr.server.audit.AuditLog;
import dev.ajr.server.auth.Authenticator;
import dev.ajr.server.auth.Directory;
import dev.ajr.server.auth.LoginGuard;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.auth.WebSessions;
import dev.ajr.server.events.InProcessEventBus;
import dev.ajr.server.http.tls.ApiListeners;
import dev.ajr.server.http.tls.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API under {@code /api/v1} (documented by {@code /api/v1/openapi.yaml}).
 *
 * <p>Contract: every {@code /api/} request (and the Loki push path) is authenticated (HTTP Basic or
 * a bearer token); a viewer sees only their own jobs, and another user's job is "not found" rather
 * than "forbidden", so job ids do not leak. Errors have the body {@code {"error": {"code": ...,
 * "message": ...}}}. Lists are paged with {@code limit} (default 100, at most 250) and {@code
 * offset}.
 */
public final class ApiServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  static {
    // The JDK server writes a response's headers and body separately; with Nagle's algorithm on,
    // a small answer then waits ~40 ms for the client's delayed acknowledgement. Read once, when
    // the JDK server's configuration class loads; an explicit -D setting wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final Pattern JOB_PATH = Pattern.compile("/api/v1/jobs/(\\d{1,18})");
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 250;

  private final RecoveryStore store;
  private final BooleanSupplier slurmReachable;
  private final UserStore users;
  private final Authenticator auth;
  private final ObjectMapper json =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private final IngestRoutes ingest;
  private final NodeRoutes nodes;
  private volatile JobRoutes jobs;
  private final TokenRoutes tokens;
  private volatile AdminRoutes admin;
  private volatile java.util.function.Supplier<String> role = () -> "single";
  private final ApiListeners listeners;
  private final HttpServer server;

  /** One virtual thread per request: event streams stay open without holding a pool thread. */
  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ajr-http-", 1).factory());

  static final String CSRF_HEADER = "X-CSRF-Token";

  /** The guide's address of the workflow dashboard, kept so bookmarks and habits work. */
  static final String GUIDE_DASHBOARD = "/mission-control/recovery-engine/dashboard/workflow";

  private final WebPages pages = new WebPages();
  private volatile WebSessions webSessions;
  private volatile LoginGuard guard;
  private volatile SessionRoutes sessionRoutes;
  private volatile EventStream stream;

  public ApiServer(String host, int port, RecoveryStore store, UserStore users, Authenticator auth)
      throws IOException {
    this(host, port, store, users, auth, () -> true);
  }

  /**
   * @param slurmReachable whether the latest read of the scheduler worked, for {@code /healthz}
   */
  public ApiServer(
      String host,
      int port,
      RecoveryStore store,
      UserStore users,
      Authenticator auth,
      BooleanSupplier slurmReachable)
      throws IOException {
    this(host, port, store, users, auth, slurmReachable, null, null);
  }

  /**
   * @param ingest where the paths of log senders (agents, Loki shippers) hand lines, or null when
   *     this server takes no log lines
   * @param nodes node health and undrain, or null when this server has none
   */
  public ApiServer(
      String host,
      int port,
      RecoveryStore store,
      UserStore users,
      Authenticator auth,
      BooleanSupplier slurmReachable,
      IngestEndpoints ingest,
      NodeEndpoints nodes)
      throws IOException {
    this(host, port, store, users, auth, slurmReachable, ingest, nodes, TlsSettings.OFF);
  }

  /**
   * @param tls HTTPS from PEM files and the plain-HTTP redirect port, or {@link TlsSettings#OFF}
   * @throws dev.ajr.server.config.ConfigException when the PEM files cannot be served
   */
  public ApiServer(
      String host,
      int port,
      RecoveryStore store,
      UserStore users,
      Authenticator auth,
      BooleanSupplier slurmReachable,
      IngestEndpoints ingest,
      NodeEndpoints nodes,
      TlsSettings tls)
      throws IOException {
    this.ingest = ingest == null ? null : new IngestRoutes(ingest, json);
    this.nodes = nodes == null ? null : new NodeRoutes(nodes);
    this.tokens = new TokenRoutes(users, json);
    this.slurmReachable = slurmReachable;
    this.store = store;
    this.users = users;
    this.auth = auth;
    try {
      listeners = ApiListeners.open(host, port, tls, java.time.Clock.systemUTC());
      server = listeners.api();
    } catch (BindException e) {
      throw new IOException(
          "cannot listen on "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); is another ajr server running? Choose another port with --port",
          e);
    }
    server.setExecutor(workers);
    server.createContext("/", this::handle);
  }

  /**
   * Turns on browser logins (sessions with CSRF tokens, rate-limited and audited logins). Without
   * it, only the Authorization header authenticates.
   */
  public void sessions(WebSessions sessions, LoginGuard guard, AuditLog audit) {
    this.webSessions = sessions;
    this.guard = guard;
    this.sessionRoutes = new SessionRoutes(auth, sessions, guard, audit, json);
  }

  /**
   * Turns on the KPI, rule and diagnosis, audit, user and settings paths, and audits undrains,
   * repairs and token changes to {@code endpoints.audit()}.
   */
  public void admin(AdminEndpoints endpoints) {
    this.admin = new AdminRoutes(endpoints, users, auth, json);
    tokens.audit(endpoints.audit());
    if (nodes != null) {
      nodes.audit(endpoints.audit());
    }
  }

  /** Turns on {@code /api/v1/stream}, the pages' live updates, fed by this bus. */
  public void liveUpdates(InProcessEventBus bus) {
    this.stream = new EventStream(bus, store);
  }

  /** Serves the jobs list and its filter values ({@link JobRoutes}) from this browser. */
  public void jobBrowser(JobBrowser browser) {
    this.jobs = new JobRoutes(browser);
  }

  /** What {@code /healthz} says this server's role is: single, leader or follower. */
  public void role(java.util.function.Supplier<String> role) {
    this.role = role;
  }

  public void start() {
    listeners.start();
  }

  /** Whether the API is served over HTTPS (then answers carry Strict-Transport-Security). */
  public boolean secure() {
    return listeners.secure();
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (ApiException e) {
        error(exchange, e.status(), e.code(), e.getMessage());
      } catch (Directory.Unavailable e) {
        error(
            exchange,
            503,
            "directory_unavailable",
            "the user directory cannot be reached: " + e.getMessage());
      } catch (RuntimeException e) {
        log.warn(
            "request {} {} failed: {}",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            e.toString());
        error(exchange, 500, "internal", "the server could not answer: " + e.getMessage());
      }
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    securityHeaders(ex);
    if (path.equals("/healthz")) {
      boolean slurm = slurmReachable.getAsBoolean();
      send(
          ex,
          200,
          Map.of(
              "status",
              slurm ? "ok" : "degraded",
              "slurm",
              slurm ? "reachable" : "unreachable",
              "role",
              role.get()));
      return;
    }
    if (path.equals("/") || path.equals(GUIDE_DASHBOARD)) {
      ex.getResponseHeaders().add("Location", "/ui/workflows");
      ex.sendResponseHeaders(302, -1);
      return;
    }
    if (WebPages.handles(path)) {
      pages.serve(ex, method);
      return;
    }
    if (SessionRoutes.handles(path)) {
      if (sessionRoutes == null) {
        throw new ApiException(404, "not_found", "browser logins are off on this server");
      }
      Reply reply = sessionRoutes.route(ex, method, path);
      send(ex, reply.status(), reply.body());
      return;
    }
    if (!path.startsWith("/api/") && !path.equals(IngestRoutes.LOKI_PUSH)) {
      throw new ApiException(404, "not_found", "no such page: " + path);
    }
    Caller who = authenticate(ex, method);
    Principal caller = who.principal();
    if (IngestRoutes.handles(path)) {
      if (ingest == null) {
        throw new ApiException(404, "not_found", "this server takes no log lines");
      }
      Reply reply = ingest.route(ex, caller, method, path);
      send(ex, reply.status(), reply.body());
      return;
    }
    if (!caller.role().readsJobs() && !path.equals("/api/v1/me")) {
      throw new ApiException(403, "forbidden", "an agent token only sends log lines");
    }
    if (NodeRoutes.handles(path)) {
      if (nodes == null) {
        throw new ApiException(404, "not_found", "this server keeps no node health");
      }
      Reply reply = nodes.route(ex, caller, method, path);
      send(ex, reply.status(), reply.body());
      return;
    }
    if (TokenRoutes.handles(path)) {
      Reply reply = tokens.route(ex, caller, method, path);
      send(ex, reply.status(), reply.body());
      return;
    }
    if (AdminRoutes.handles(path)) {
      AdminRoutes a = admin;
      if (a == null) {
        throw new ApiException(404, "not_found", "this server has no " + path);
      }
      Reply reply = a.route(ex, caller, method, path);
      send(ex, reply.status(), reply.body());
      return;
    }
    Matcher job = JOB_PATH.matcher(path);
    if (JobRoutes.handles(path)) {
      if (jobs == null) {
        throw new ApiException(404, "not_found", "this server has no jobs list");
      }
      Reply reply = jobs.route(ex, caller, method, path);
      send(ex, reply.status(), reply.body());
    } else if (job.matches()) {
      requireMethod(method, "GET");
      showJob(ex, caller, Long.parseLong(job.group(1)));
    } else if (path.equals("/api/v1/me")) {
      requireMethod(method, "GET");
      Map<String, Object> me = new java.util.LinkedHashMap<>();
      me.put("username", caller.username());
      me.put("role", caller.role().wireName());
      if (who.session() != null) {
        me.put("csrfToken", who.session().csrfToken());
      }
      send(ex, 200, me);
    } else if (path.equals(EventStream.PATH)) {
      requireMethod(method, "GET");
      if (stream == null) {
        throw new ApiException(404, "not_found", "live updates are off on this server");
      }
      stream.serve(ex, caller);
    } else if (path.equals("/api/v1/openapi.yaml")) {
      requireMethod(method, "GET");
      try (InputStream in = ApiServer.class.getResourceAsStream("openapi.yaml")) {
        byte[] body = in.readAllBytes();
        ex.getResponseHeaders().add("Content-Type", "application/yaml");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      }
    } else {
      throw new ApiException(404, "not_found", "no such API path: " + path);
    }
  }

  /** Who is calling, and their browser session when they came with its cookie. */
  private record Caller(Principal principal, WebSessions.Session session) {}

  /**
   * The Authorization header (HTTP Basic or a bearer token) wins; else the session cookie, which on
   * a state-changing method needs the session's CSRF token in {@value #CSRF_HEADER}. Failed Basic
   * logins count toward the login rate limit.
   */
  private Caller authenticate(HttpExchange ex, String method) {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header != null) {
      Optional<String> basicUser = Authenticator.basicUser(header);
      LoginGuard g = guard;
      String client = clientAddress(ex);
      if (g != null && basicUser.isPresent()) {
        Optional<java.time.Duration> wait = g.retryAfter(basicUser.get(), client);
        if (wait.isPresent()) {
          throw tooManyLogins(ex, wait.get());
        }
      }
      Optional<Principal> p = auth.authenticate(header);
      if (p.isPresent()) {
        return new Caller(p.get(), null);
      }
      if (g != null && basicUser.isPresent()) {
        g.failed(basicUser.get(), client);
      }
      throw unauthenticated(ex);
    }
    WebSessions ws = webSessions;
    String id = cookie(ex, SessionRoutes.COOKIE);
    if (ws != null && id != null) {
      Optional<WebSessions.Session> session = ws.find(id);
      if (session.isPresent()) {
        boolean safe = method.equals("GET") || method.equals("HEAD");
        if (!safe) {
          requireCsrf(ex, session.get());
        }
        return new Caller(session.get().principal(), session.get());
      }
    }
    throw unauthenticated(ex);
  }

  /** The 429 answer (with Retry-After) to a login try while the rate limit holds. */
  static ApiException tooManyLogins(HttpExchange ex, java.time.Duration wait) {
    long seconds = Math.max(1, wait.toSeconds());
    ex.getResponseHeaders().add("Retry-After", Long.toString(seconds));
    return new ApiException(
        429, "too_many_attempts", "too many failed logins; try again in " + seconds + " s");
  }

  /** Refuses a request made with the session's cookie but without its CSRF token. */
  static void requireCsrf(HttpExchange ex, WebSessions.Session session) {
    if (!session.csrfMatches(ex.getRequestHeaders().getFirst(CSRF_HEADER))) {
      throw new ApiException(403, "csrf", "missing or wrong " + CSRF_HEADER + " header");
    }
  }

  private static ApiException unauthenticated(HttpExchange ex) {
    // A browser's own fetch or EventSource (Sec-Fetch-Mode cors, same-origin...) must not get the
    // Basic challenge: the browser would hold the request open for a password dialog. Tools and a
    // browser's address bar (navigate) do get it.
    String mode = ex.getRequestHeaders().getFirst("Sec-Fetch-Mode");
    if (mode == null || mode.equals("navigate")) {
      ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"ajr\"");
    }
    return new ApiException(
        401,
        "unauthenticated",
        "log in (the web UI at /ui/, or HTTP Basic with user and password) or send an API token"
            + " as 'Authorization: Bearer <token>'");
  }

  /** The value of one cookie of the request, or null. */
  static String cookie(HttpExchange ex, String name) {
    for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
      for (String part : header.split(";")) {
        String p = part.strip();
        if (p.startsWith(name + "=")) {
          return p.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  /** The client's address as this server sees it (a proxy's, behind one). */
  static String clientAddress(HttpExchange ex) {
    return ex.getRemoteAddress().getAddress().getHostAddress();
  }

  /**
   * Headers every answer carries: no framing, no sniffing, scripts and styles only from here; over
   * HTTPS, browsers are told to keep using it.
   */
  private void securityHeaders(HttpExchange ex) {
    var h = ex.getResponseHeaders();
    if (listeners.secure()) {
      h.add("Strict-Transport-Security", "max-age=31536000");
    }
    h.add(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    h.add("X-Content-Type-Options", "nosniff");
    h.add("X-Frame-Options", "DENY");
    h.add("Referrer-Policy", "no-referrer");
  }

  private void showJob(HttpExchange ex, Principal caller, long jobId) throws IOException {
    Optional<Job> job = store.job(jobId);
    if (job.isEmpty()
        || !caller.role().seesAllJobs() && !job.get().user().equals(caller.username())) {
      throw new ApiException(404, "not_found", "no job " + jobId + " is known to ajr");
    }
    send(ex, 200, JobViews.detail(job.get(), store));
  }

  static void requireMethod(String method, String expected) {
    if (!method.equals(expected)) {
      throw new ApiException(405, "method_not_allowed", "use " + expected);
    }
  }

  static int intParam(Map<String, String> q, String name, int fallback, int min, int max) {
    String text = q.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(text);
      if (n < min || n > max) {
        throw new ApiException(
            400, "bad_request", name + " must be from " + min + " to " + max + ", not " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ApiException(400, "bad_request", name + " must be a whole number");
    }
  }

  static Map<String, String> query(HttpExchange ex) {
    Map<String, String> params = new HashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  private void error(HttpExchange ex, int status, String code, String message) throws IOException {
    send(ex, status, Map.of("error", Map.of("code", code, "message", message)));
  }

  private void send(HttpExchange ex, int status, Object body) throws IOException {
    if (body == null) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.getResponseHeaders().add("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    EventStream s = stream;
    if (s != null) {
      s.closeAll();
    }
    listeners.stop(2); // lets requests being answered finish (an agent's batch is acknowledged)
    workers.shutdownNow();
  }
}
