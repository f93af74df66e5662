package dev.ajr.server.store;

/** The store contract on the embedded SQLite file. */
class SqliteStoreTest extends StoreContractTest {

  @Override
  Database openDatabase() {
    return Database.openSqlite(dataDir);
  }
}
