package dev.ajr.server.store;

import java.nio.file.Path;

/** The jobs list's read side on the embedded SQLite file. */
class SqliteJobBrowserTest extends JobBrowserContractTest {

  @Override
  Database openDatabase(Path dataDir) {
    return Database.openSqlite(dataDir);
  }
}
