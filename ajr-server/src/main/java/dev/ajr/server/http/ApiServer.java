package dev.ajr.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ajr.core.json.Json;
import dev.ajr.server.http.tls.ApiListeners;
import java.io.IOException;
import java.net.BindException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The REST API under {@code /api/v1} (documented by {@code /api/v1/openapi.yaml}), the health and
 * readiness checks, the metrics, browser logins, the Loki push path and the web UI's pages.
 *
 * <p>Contract: every route is declared in {@link ApiRoutes} with the access it requires; the router
 * checks the method (405 with {@code Allow}), authenticates (HTTP Basic, a bearer token or the
 * session cookie with its CSRF token), refuses state changes from other sites or with bodies that
 * are not JSON ({@link StateChangeGuard}: 403, 415) and checks the caller's access (403) before the
 * handler runs. An unknown path under {@code /api/} is 404 after authentication, any other unknown
 * path 404 without. Errors have the body {@code {"error": {"code": ..., "message": ...}}}; what
 * handlers throw becomes a status in {@link Failures}. Every answer carries the security headers;
 * JSON answers are not cached. Lists are paged with {@code limit} (default 100, at most 250) and
 * {@code offset}.
 *
 * <p>A request's line, headers and body must arrive within {@value #MAX_REQUEST_SECONDS} s (see the
 * static initializer); answers, such as a live event stream, are not bounded.
 */
public final class ApiServer implements AutoCloseable {

  /**
   * How long the JDK server waits for a request, from its first byte until its whole body is read,
   * before it closes the connection ({@code sun.net.httpserver.maxReqTime}). The JDK cannot time
   * the headers alone, so this is also the time a body may take: at least the request deadline of
   * the clients ajr expects (its agent gives up after 30 s, Promtail and Alloy after 10 s, Vector
   * after 60 s); a 32 MiB body needs 0.6 MiB/s.
   */
  static final int MAX_REQUEST_SECONDS = 60;

  static {
    // Read once, when the JDK server's configuration class loads (the first HTTP server of the
    // JVM); an explicit -D setting wins.
    // The JDK server writes a response's headers and body separately; with Nagle's algorithm on,
    // a small answer then waits ~40 ms for the client's delayed acknowledgement.
    defaultProperty("sun.net.httpserver.nodelay", "true");
    // A client that sends part of a request and then nothing would hold its connection (and a
    // thread) forever. Not maxRspTime: that would cut event streams, which stay open for hours.
    // Idle connections (none or all of a request read) are closed after idleInterval, 30 s.
    defaultProperty("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
  }

  private static void defaultProperty(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  /** The guide's address of the workflow dashboard, kept so bookmarks and habits work. */
  static final String GUIDE_DASHBOARD = "/mission-control/recovery-engine/dashboard/workflow";

  private final ObjectMapper json = Json.MAPPER;
  private final ApiRoutes api;
  private final Router router;
  private final Callers callers;
  private final StateChangeGuard stateChanges;
  private final WebPages pages = new WebPages();
  private final ApiListeners listeners;
  private final MetricsScrape metrics;
  private final HttpServer server;

  /** One virtual thread per request: event streams stay open without holding a pool thread. */
  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ajr-http-", 1).factory());

  /**
   * Listens at once; answers after {@link #start()}.
   *
   * @throws IOException when the address cannot be listened on
   * @throws dev.ajr.server.config.ConfigException when the PEM files cannot be served
   */
  public ApiServer(ApiParts parts) throws IOException {
    this.api = new ApiRoutes(parts, json);
    this.router = new Router(api.routes());
    this.callers = new Callers(parts.auth(), parts.logins(), parts.network());
    this.metrics = parts.metrics();
    try {
      listeners = ApiListeners.open(parts.host(), parts.port(), parts.tls(), Clock.systemUTC());
      server = listeners.api();
      stateChanges = new StateChangeGuard(parts.network(), listeners.secure());
    } catch (BindException e) {
      throw new IOException(
          "cannot listen on "
              + parts.host()
              + ":"
              + parts.port()
              + " ("
              + e.getMessage()
              + "); is another ajr server running? Choose another port with --port",
          e);
    }
    server.setExecutor(workers);
    server.createContext("/", this::handle);
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

  /** The route table as served, in declaration order. */
  List<Route> routes() {
    return router.routes();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
      String path = ex.getRequestURI().getPath();
      Reply reply;
      try {
        reply = dispatch(ex, method, path);
      } catch (IOException e) {
        throw e; // the connection broke: nothing more can be sent
      } catch (Exception e) {
        ApiException failure = Failures.toApi(e, method + " " + path);
        reply = new Reply(failure.status(), errorBody(failure));
      }
      send(ex, reply);
    }
  }

  /** The answer to one request, or {@link Reply#ANSWERED} when it was written already. */
  private Reply dispatch(HttpExchange ex, String method, String path) throws Exception {
    securityHeaders(ex);
    if (path.equals("/") || path.equals(GUIDE_DASHBOARD)) {
      ex.getResponseHeaders().add("Location", "/ui/workflows");
      ex.sendResponseHeaders(302, -1);
      return Reply.ANSWERED;
    }
    if (WebPages.handles(path)) {
      pages.serve(ex, method);
      return Reply.ANSWERED;
    }
    Router.Match match = router.find(method, path);
    if (match instanceof Router.NotFound && !path.startsWith("/api/")) {
      throw new ApiException(404, "not_found", "no such page: " + path);
    }
    Callers.Caller caller =
        match.anonymous() || scraperWithToken(ex, match) ? null : callers.authenticate(ex, method);
    return switch (match) {
      case Router.NotFound n ->
          throw new ApiException(404, "not_found", "no such API path: " + path);
      case Router.WrongMethod w -> {
        String allowed = String.join(", ", w.allowed());
        ex.getResponseHeaders().add("Allow", allowed);
        throw new ApiException(
            405, "method_not_allowed", "use " + String.join(" or ", w.allowed()));
      }
      case Router.Found found -> {
        Route route = found.route();
        stateChanges.check(ex, method, route);
        if (caller != null && !route.access().allows(caller.principal().role())) {
          throw route.access().refusal(caller.principal().role(), route.name());
        }
        yield route.handler().handle(new Call(ex, caller, found.params()));
      }
    };
  }

  /** A scraper of {@code /metrics} that sends the metrics token: no user credentials needed. */
  private boolean scraperWithToken(HttpExchange ex, Router.Match match) {
    return match instanceof Router.Found found
        && found.route().access() == Access.SCRAPES_METRICS
        && metrics.admits(ex.getRequestHeaders().getFirst("Authorization"));
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

  private static Map<String, Object> errorBody(ApiException e) {
    return Map.of("error", Map.of("code", e.code(), "message", e.getMessage()));
  }

  private void send(HttpExchange ex, Reply reply) throws IOException {
    if (reply == Reply.ANSWERED) {
      return;
    }
    if (reply.body() == null) {
      ex.sendResponseHeaders(reply.status(), -1);
      return;
    }
    byte[] bytes = json.writeValueAsBytes(reply.body());
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.getResponseHeaders().add("Cache-Control", "no-store");
    ex.sendResponseHeaders(reply.status(), bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    api.closeStreams();
    listeners.stop(2); // lets requests being answered finish (an agent's batch is acknowledged)
    workers.shutdownNow();
    api.closeHeavyWork();
  }
}
