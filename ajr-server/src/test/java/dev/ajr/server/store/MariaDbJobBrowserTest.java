package dev.ajr.server.store;

import java.nio.file.Path;

/** The jobs list's read side on MariaDB (127.0.0.1:3306). */
class MariaDbJobBrowserTest extends JobBrowserContractTest {

  private final String name = TestDatabases.newName();

  @Override
  Database openDatabase(Path dataDir) {
    return Database.open(
        new Database.Settings(TestDatabases.createMariaDb(name), "root", "", 4, true));
  }

  @Override
  void dropDatabase() {
    TestDatabases.dropMariaDb(name);
  }
}
