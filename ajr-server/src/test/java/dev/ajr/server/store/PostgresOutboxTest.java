package dev.ajr.server.store;

import org.junit.jupiter.api.AfterEach;

/** The outbox contract on PostgreSQL (127.0.0.1:5432). */
class PostgresOutboxTest extends OutboxContractTest {

  private final String name = TestDatabases.newName();
  private String url;

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
