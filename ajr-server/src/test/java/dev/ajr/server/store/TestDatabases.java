package dev.ajr.server.store;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Throw-away databases on this machine's MariaDB (127.0.0.1:3306, root, no password) and PostgreSQL
 * (127.0.0.1:5432, trust): one new database per test class, dropped afterwards. A server that is
 * not running fails the test with what to start.
 */
final class TestDatabases {

  static final String MARIADB_SERVER = "jdbc:mariadb://127.0.0.1:3306/";
  static final String POSTGRES_SERVER = "jdbc:postgresql://127.0.0.1:5432/";

  private TestDatabases() {}

  static String newName() {
    return "ajr_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** Creates the database and returns its JDBC URL. */
  static String createMariaDb(String name) {
    execute(
        MARIADB_SERVER, "root", "CREATE DATABASE " + name + " CHARACTER SET utf8mb4", "MariaDB");
    return MARIADB_SERVER + name;
  }

  static void dropMariaDb(String name) {
    execute(MARIADB_SERVER, "root", "DROP DATABASE IF EXISTS " + name, "MariaDB");
  }

  static String createPostgres(String name) {
    execute(POSTGRES_SERVER + "postgres", "postgres", "CREATE DATABASE " + name, "PostgreSQL");
    return POSTGRES_SERVER + name;
  }

  static void dropPostgres(String name) {
    execute(
        POSTGRES_SERVER + "postgres",
        "postgres",
        "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)",
        "PostgreSQL");
  }

  private static void execute(String url, String user, String sql, String what) {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      fail(
          what
              + " at "
              + url
              + " is not available ("
              + e.getMessage()
              + "); start it ("
              + (what.equals("MariaDB")
                  ? "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"
                  : "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start")
              + ") and run the tests again");
    }
  }
}
