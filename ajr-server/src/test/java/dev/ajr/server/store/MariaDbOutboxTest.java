package dev.ajr.server.store;

import org.junit.jupiter.api.AfterEach;

/** The outbox contract on MariaDB (127.0.0.1:3306). */
class MariaDbOutboxTest extends OutboxContractTest {

  private final String name = TestDatabases.newName();
  private String url;

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
