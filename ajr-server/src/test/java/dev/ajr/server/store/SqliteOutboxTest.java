package dev.ajr.server.store;

/** The outbox contract on the embedded SQLite file. */
class SqliteOutboxTest extends OutboxContractTest {

  @Override
  Database openDatabase() {
    return Database.openSqlite(dataDir);
  }
}
