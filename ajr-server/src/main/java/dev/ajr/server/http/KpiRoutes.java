package dev.ajr.server.http;

import dev.ajr.server.auth.Principal;
import dev.ajr.server.store.SqlKpis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /api/v1/kpis?since&until}: the KPIs of a window (default: the last 7 days).
 *
 * <p>Contract: operators and administrators see the cluster; a viewer gets the same shape over
 * their own jobs only, with no lemon nodes. The window is at most {@value #MAX_DAYS} days and
 * {@code since} must be before {@code until}.
 */
final class KpiRoutes {

  static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
  static final int MAX_DAYS = 400;

  private final SqlKpis kpis;
  private final Clock clock;

  KpiRoutes(SqlKpis kpis, Clock clock) {
    this.kpis = kpis;
    this.clock = clock;
  }

  Reply report(Call call) {
    Principal caller = call.caller();
    Map<String, String> q = call.query();
    Instant until = RequestParams.instant(q, "until", clock.instant());
    Instant since = RequestParams.instant(q, "since", until.minus(DEFAULT_WINDOW));
    if (!since.isBefore(until)) {
      throw new ApiException(400, "bad_request", "since must be before until");
    }
    if (Duration.between(since, until).compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
      throw new ApiException(
          400, "bad_request", "the window is at most " + MAX_DAYS + " days; narrow it");
    }
    String user = caller.role().seesAllJobs() ? null : caller.username();
    return new Reply(200, kpis.report(since, until, user));
  }
}
