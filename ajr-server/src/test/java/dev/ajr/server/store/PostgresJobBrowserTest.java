package dev.ajr.server.store;

import java.nio.file.Path;

/** The jobs list's read side on PostgreSQL (127.0.0.1:5432). */
class PostgresJobBrowserTest extends JobBrowserContractTest {

  private final String name = TestDatabases.newName();

  @Override
  Database openDatabase(Path dataDir) {
    return Database.open(
        new Database.Settings(TestDatabases.createPostgres(name), "postgres", "", 4, true));
  }

  @Override
  void dropDatabase() {
    TestDatabases.dropPostgres(name);
  }
}
