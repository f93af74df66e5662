package dev.ajr.server.app;

import dev.ajr.server.auth.UserStore;
import dev.ajr.server.auth.WebSessions;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.config.DatabaseConfig;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlAuditLog;
import dev.ajr.server.store.SqlIngestPositions;
import dev.ajr.server.store.SqlNodeStore;
import dev.ajr.server.store.SqlProgressMarks;
import dev.ajr.server.store.SqlRecoveryStore;
import java.time.Clock;

/** Every store of the server, over one database. */
record Stores(
    Database db,
    SqlRecoveryStore recovery,
    UserStore users,
    SqlAuditLog audit,
    SqlNodeStore nodes,
    SqlIngestPositions positions,
    SqlProgressMarks marks,
    WebSessions sessions) {

  /** Opens (and migrates, unless told not to) the configured database. */
  static Stores open(AjrConfig config, Clock clock) {
    Database db = openDatabase(config);
    try {
      return new Stores(
          db,
          new SqlRecoveryStore(db, clock),
          new UserStore(db, clock),
          new SqlAuditLog(db, clock),
          new SqlNodeStore(db),
          new SqlIngestPositions(db, clock),
          new SqlProgressMarks(db),
          new WebSessions(db, clock, config.web().sessionLifetime(), config.web().sessionIdle()));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** The configured database, or the embedded SQLite file in the data directory. */
  static Database openDatabase(AjrConfig config) {
    DatabaseConfig d = config.database();
    if (d.embedded()) {
      return Database.openSqlite(config.dataDir());
    }
    return Database.open(
        new Database.Settings(d.url(), d.user(), d.password(), d.poolSize(), d.migrate()));
  }
}
