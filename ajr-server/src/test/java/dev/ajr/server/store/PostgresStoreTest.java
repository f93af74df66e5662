package dev.ajr.server.store;

import org.junit.jupiter.api.AfterEach;

/** The store contract on PostgreSQL (127.0.0.1:5432). */
class PostgresStoreTest extends StoreContractTest {

  private final String name = TestDatabases.newName();
  private String url;

  /** A new database for each test, as the SQLite variant gets a new file. */
  @AfterEach
  void dropDatabase() {
    db.close();
    TestDatabases.dropPostgres(name);
  }

  @Override
  Database openDatabase() {
    if (url == null) {
      url = TestDatabases.createPostgres(name);
    }
    return Database.open(new Database.Settings(url, "postgres", "", 4, true));
  }
}
