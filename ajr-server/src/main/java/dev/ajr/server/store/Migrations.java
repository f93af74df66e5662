package dev.ajr.server.store;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The versioned migrations of a {@link Database}, applied by Flyway: the set of its {@link Dialect}
 * for tables and the shared set for views. Flyway's failures pass through unchanged; the database
 * words them. Thread-safe (each call configures its own Flyway).
 */
final class Migrations {

  private final DataSource pool;
  private final Dialect dialect;

  Migrations(DataSource pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  /** Applies the pending migrations; returns how many were applied. */
  int apply() {
    return flyway().migrate().migrationsExecuted;
  }

  /** How many migrations are not applied yet. */
  int pending() {
    return flyway().info().pending().length;
  }

  /** One line per migration: version, description, state. */
  List<String> status() {
    List<String> lines = new ArrayList<>();
    for (MigrationInfo info : flyway().info().all()) {
      lines.add(
          String.format(
              "%-4s %-45s %s", info.getVersion(), info.getDescription(), info.getState()));
    }
    return lines;
  }

  private Flyway flyway() {
    return Flyway.configure()
        .dataSource(pool)
        .locations(dialect.migrationLocations())
        .loggers("slf4j")
        .load();
  }
}
