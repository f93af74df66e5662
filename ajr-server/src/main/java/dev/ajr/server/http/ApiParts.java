package dev.ajr.server.http;

import dev.ajr.core.store.JobBrowser;
import dev.ajr.core.store.RecoveryStore;
import dev.ajr.server.auth.Authenticator;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.events.InProcessEventBus;
import dev.ajr.server.http.tls.TlsSettings;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Everything an {@link ApiServer} listens with and serves; none is null.
 *
 * @param host the address to listen on
 * @param port the port, or 0 for any free one
 * @param tls HTTPS from PEM files and the plain-HTTP redirect port, or {@link TlsSettings#OFF}
 * @param network the public URL and the trusted reverse proxies: who a client is, and this server's
 *     own origin
 * @param store the jobs, for a job's detail and for whose job an event is
 * @param jobs the jobs list and its filter values
 * @param users local users and API tokens
 * @param auth checks Basic, bearer and login-form credentials
 * @param slurmReachable whether the latest read of the scheduler worked, for {@code /healthz}
 * @param role what {@code /healthz} says this server is: single, leader or follower
 * @param ingest where log senders (agents, Loki shippers) hand their lines
 * @param nodes node health, undrain and repair
 * @param admin the KPI, rule, audit, user and settings paths; its audit log also records token
 *     changes, undrains and repairs
 * @param logins browser sessions, the login rate limit and the login audit
 * @param events the bus whose events {@code /api/v1/stream} tells open pages of
 * @param readiness what {@code /readyz} reports, checked when asked
 * @param metrics what {@code /metrics} serves, and the token that may read it
 * @param slurmHooks where Slurm's controller hooks' word that a job started or ended goes
 */
public record ApiParts(
    String host,
    int port,
    TlsSettings tls,
    ClientNetwork network,
    RecoveryStore store,
    JobBrowser jobs,
    UserStore users,
    Authenticator auth,
    BooleanSupplier slurmReachable,
    Supplier<String> role,
    IngestEndpoints ingest,
    NodeEndpoints nodes,
    AdminEndpoints admin,
    WebLogins logins,
    InProcessEventBus events,
    Supplier<Readiness> readiness,
    MetricsScrape metrics,
    SlurmHooks slurmHooks) {

  public ApiParts {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(jobs, "jobs");
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(slurmReachable, "slurmReachable");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(logins, "logins");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(readiness, "readiness");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(slurmHooks, "slurmHooks");
  }
}
