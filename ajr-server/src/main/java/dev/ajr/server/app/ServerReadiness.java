package dev.ajr.server.app;

import dev.ajr.server.cluster.Leadership;
import dev.ajr.server.http.Readiness;
import dev.ajr.server.store.Database;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Whether this server is ready for work, checked when asked ({@code GET /readyz}): the database
 * answers a query within {@value #DATABASE_SECONDS} s, every migration of this ajr is applied, and,
 * on the server that acts on Slurm, the last read of Slurm worked. A replica that does not act does
 * not depend on Slurm. Once the migrations were found complete they are not asked again (this ajr
 * brings no new ones while it runs). Thread-safe.
 */
final class ServerReadiness implements Supplier<Readiness> {

  static final int DATABASE_SECONDS = 2;

  private final Database db;
  private final Leadership leadership;
  private final SchedulerPoller poller;
  private volatile boolean migrated;

  ServerReadiness(Database db, Leadership leadership, SchedulerPoller poller) {
    this.db = db;
    this.leadership = leadership;
    this.poller = poller;
  }

  @Override
  public Readiness get() {
    Map<String, String> checks = new LinkedHashMap<>();
    List<String> failed = new ArrayList<>();
    String database = database();
    check(checks, failed, "database", database);
    check(
        checks,
        failed,
        "migrations",
        database.equals("ok") ? migrations() : "not known: the database does not answer");
    if (leadership.acts()) {
      check(checks, failed, "slurm", slurm());
    } else {
      checks.put(
          "slurm", "not needed: this replica does not act on Slurm (" + leadership.role() + ")");
    }
    return new Readiness(checks, failed);
  }

  private static void check(
      Map<String, String> checks, List<String> failed, String name, String state) {
    checks.put(name, state);
    if (!state.equals("ok")) {
      failed.add(name);
    }
  }

  private String database() {
    CompletableFuture<Void> ping =
        CompletableFuture.runAsync(db::ping, r -> Thread.ofVirtual().name("ajr-readyz").start(r));
    try {
      ping.get(DATABASE_SECONDS, TimeUnit.SECONDS);
      return "ok";
    } catch (TimeoutException e) {
      return "no answer within " + DATABASE_SECONDS + " s";
    } catch (ExecutionException e) {
      return "not reachable: " + e.getCause().getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "not checked: interrupted";
    }
  }

  private String migrations() {
    if (migrated) {
      return "ok";
    }
    try {
      int pending = db.pendingMigrations();
      if (pending == 0) {
        migrated = true;
        return "ok";
      }
      return pending + " pending: run ajr db migrate";
    } catch (RuntimeException e) {
      return "not known: " + e.getMessage();
    }
  }

  private String slurm() {
    if (poller.lastReadWorked()) {
      return "ok";
    }
    return poller.healthy() ? "not read yet" : "unreachable at the last read";
  }
}
