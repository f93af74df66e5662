package dev.ajr.server.store;

import org.junit.jupiter.api.AfterEach;

/** The store contract on MariaDB (127.0.0.1:3306). */
class MariaDbStoreTest extends StoreContractTest {

  private final String name = TestDatabases.newName();
  private String url;

  /** A new database for each test, as the SQLite variant gets a new file. */
  @AfterEach
  void dropDatabase() {
    db.close();
    TestDatabases.dropMariaDb(name);
  }

  @Override
  Database openDatabase() {
    if (url == null) {
      url = TestDatabases.createMariaDb(name);
    }
    return Database.open(new Database.Settings(url, "root", "", 4, true));
  }
}
