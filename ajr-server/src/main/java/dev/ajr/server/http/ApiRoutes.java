package dev.ajr.server.http;

import static dev.ajr.server.http.Access.ADMIN;
import static dev.ajr.server.http.Access.ANONYMOUS;
import static dev.ajr.server.http.Access.ANY_CALLER;
import static dev.ajr.server.http.Access.OPERATOR;
import static dev.ajr.server.http.Access.READS_JOBS;
import static dev.ajr.server.http.Access.SCRAPES_METRICS;
import static dev.ajr.server.http.Access.SHIPS_LOGS;
import static dev.ajr.server.http.Access.TELLS_OF_JOBS;
import static dev.ajr.server.http.Route.delete;
import static dev.ajr.server.http.Route.get;
import static dev.ajr.server.http.Route.post;
import static dev.ajr.server.http.Route.put;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.server.audit.AuditLog;
import java.util.List;

/**
 * The API's route table: every route the server answers (besides the web UI's pages and the
 * redirects to them) is declared once in {@link #routes()}: method, path template, access and
 * handler. {@code openapi.yaml} documents exactly these routes (a test compares both ways).
 *
 * <p>To add an endpoint: a handler method {@code Reply name(Call call)} in a route class, one line
 * in {@link #routes()}, and the path in {@code openapi.yaml}.
 */
final class ApiRoutes {

  private final InfoRoutes info;
  private final SessionRoutes sessions;
  private final EventStream stream;
  private final JobRoutes jobs;
  private final TokenRoutes tokens;
  private final KpiRoutes kpis;
  private final RuleRoutes rules;
  private final NodeRoutes nodes;
  private final AuditRoutes audit;
  private final UserRoutes users;
  private final SettingsRoutes settings;
  private final IngestRoutes ingest;
  private final SlurmHookRoutes slurm;

  /** Where CPU-heavy request work runs (diagnoses), off the request threads. */
  private final HeavyWork heavy = HeavyWork.forThisMachine();

  ApiRoutes(ApiParts parts, ObjectMapper json) {
    AuditLog trail = parts.admin().audit();
    this.info =
        new InfoRoutes(parts.slurmReachable(), parts.role(), parts.readiness(), parts.metrics());
    this.sessions = new SessionRoutes(parts.auth(), parts.logins(), parts.network(), json);
    this.stream = new EventStream(parts.events(), parts.store());
    this.jobs = new JobRoutes(parts.jobs(), parts.store());
    this.tokens = new TokenRoutes(parts.users(), trail, json, parts.admin().clock());
    this.kpis = new KpiRoutes(parts.admin().kpis(), parts.admin().clock());
    this.rules = new RuleRoutes(parts.admin().rules(), json, heavy);
    this.nodes = new NodeRoutes(parts.nodes(), trail);
    this.audit = new AuditRoutes(parts.admin().audit());
    this.users = new UserRoutes(parts.users(), parts.auth(), trail, json);
    this.settings = new SettingsRoutes(parts.admin().settings());
    this.ingest = new IngestRoutes(parts.ingest(), json, parts.network());
    this.slurm = new SlurmHookRoutes(parts.slurmHooks());
  }

  /** Every route, one line each. */
  List<Route> routes() {
    return List.of(
        get("/healthz", ANONYMOUS, info::health),
        get("/readyz", ANONYMOUS, info::ready),
        get("/metrics", SCRAPES_METRICS, info::metrics),
        post("/auth/login", ANONYMOUS, sessions::login),
        post("/auth/logout", ANONYMOUS, sessions::logout),
        get("/api/v1/me", ANY_CALLER, info::me),
        get("/api/v1/openapi.yaml", READS_JOBS, info::openApi),
        get("/api/v1/stream", READS_JOBS, stream::serve),
        get("/api/v1/jobs", READS_JOBS, jobs::list),
        get("/api/v1/jobs/facets", READS_JOBS, jobs::facets),
        get("/api/v1/jobs/{jobId}", READS_JOBS, jobs::show),
        get("/api/v1/tokens", READS_JOBS, tokens::list),
        post("/api/v1/tokens", READS_JOBS, tokens::create),
        delete("/api/v1/tokens/{id}", READS_JOBS, tokens::revoke),
        get("/api/v1/kpis", READS_JOBS, kpis::report),
        get("/api/v1/rules", READS_JOBS, rules::list),
        post("/api/v1/diagnose", READS_JOBS, rules::diagnose),
        get("/api/v1/nodes", OPERATOR, nodes::list),
        get("/api/v1/nodes/{node}", OPERATOR, nodes::show),
        post("/api/v1/nodes/{node}/undrain", OPERATOR, nodes::undrain),
        post("/api/v1/nodes/{node}/repaired", OPERATOR, nodes::repaired),
        get("/api/v1/audit", OPERATOR, audit::page),
        get("/api/v1/users", ADMIN, users::page),
        post("/api/v1/users", ADMIN, users::create),
        put("/api/v1/users/{name}", ADMIN, users::update),
        delete("/api/v1/users/{name}", ADMIN, users::delete),
        get("/api/v1/settings", ADMIN, settings::list),
        get("/api/v1/agent/jobs", SHIPS_LOGS, ingest::jobs),
        post("/api/v1/agent/lines", SHIPS_LOGS, ingest::lines),
        post("/api/v1/slurm/jobs/{jobId}/changed", TELLS_OF_JOBS, slurm::jobChanged),
        post("/loki/api/v1/push", SHIPS_LOGS, ingest::lokiPush)
            .accepting(Route.JSON, "application/x-protobuf"));
  }

  /** Ends every open event stream (the server is stopping). */
  void closeStreams() {
    stream.closeAll();
  }

  /** Stops the pool of CPU-heavy work; a diagnosis still running is interrupted. */
  void closeHeavyWork() {
    heavy.close();
  }
}
