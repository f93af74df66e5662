package dev.ajr.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.metrics.ServerMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the server says about itself and the caller: {@code GET /healthz} ({@code {"status": "ok" |
 * "degraded", "slurm": "reachable" | "unreachable", "role": "single" | "leader" | "follower"}},
 * without credentials), {@code GET /readyz} (200 when every readiness check passed, else 503, with
 * the checks and the names of those that failed; without credentials), {@code GET /metrics} (the
 * meters in Prometheus' text format), {@code GET /api/v1/me} (the caller, with their session's CSRF
 * token when they came with its cookie) and {@code GET /api/v1/openapi.yaml} (the API's
 * description).
 */
final class InfoRoutes {

  private final BooleanSupplier slurmReachable;
  private final Supplier<String> role;
  private final Supplier<Readiness> readiness;
  private final MetricsScrape metrics;

  InfoRoutes(
      BooleanSupplier slurmReachable,
      Supplier<String> role,
      Supplier<Readiness> readiness,
      MetricsScrape metrics) {
    this.slurmReachable = slurmReachable;
    this.role = role;
    this.readiness = readiness;
    this.metrics = metrics;
  }

  Reply health(Call call) {
    boolean slurm = slurmReachable.getAsBoolean();
    return new Reply(
        200,
        Map.of(
            "status",
            slurm ? "ok" : "degraded",
            "slurm",
            slurm ? "reachable" : "unreachable",
            "role",
            role.get()));
  }

  Reply ready(Call call) {
    Readiness r = readiness.get();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", r.ready() ? "ready" : "not ready");
    body.put("checks", new TreeMap<>(r.checks()));
    body.put("notReady", r.failed());
    return new Reply(r.ready() ? 200 : 503, body);
  }

  Reply metrics(Call call) throws IOException {
    byte[] body = metrics.text().get().getBytes(StandardCharsets.UTF_8);
    HttpExchange ex = call.exchange();
    ex.getResponseHeaders().add("Content-Type", ServerMetrics.CONTENT_TYPE);
    ex.getResponseHeaders().add("Cache-Control", "no-store");
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
    return Reply.ANSWERED;
  }

  Reply me(Call call) {
    Principal caller = call.caller();
    Map<String, Object> me = new LinkedHashMap<>();
    me.put("username", caller.username());
    me.put("role", caller.role().wireName());
    call.session().ifPresent(s -> me.put("csrfToken", s.csrfToken()));
    return new Reply(200, me);
  }

  Reply openApi(Call call) throws IOException {
    HttpExchange ex = call.exchange();
    try (InputStream in = InfoRoutes.class.getResourceAsStream("openapi.yaml")) {
      byte[] body = in.readAllBytes();
      ex.getResponseHeaders().add("Content-Type", "application/yaml");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    }
    return Reply.ANSWERED;
  }
}
