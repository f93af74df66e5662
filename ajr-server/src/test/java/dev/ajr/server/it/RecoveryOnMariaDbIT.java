package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The end-to-end scenarios with the server on MariaDB (127.0.0.1:3306), as production runs. */
class RecoveryOnMariaDbIT extends RecoveryOnSlurmContract {

  private static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String NAME =
      "ajr_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @BeforeAll
  static void start() throws Exception {
    execute("CREATE DATABASE " + NAME + " CHARACTER SET utf8mb4");
    startServerAndSubmitJobs(
        Map.of("database.url", SERVER + NAME, "database.user", "root", "database.pool-size", "4"));
  }

  @AfterAll
  static void dropDatabase() {
    execute("DROP DATABASE IF EXISTS " + NAME);
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(SERVER, "root", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      fail(
          "MariaDB at 127.0.0.1:3306 is not available ("
              + e.getMessage()
              + "); start it with"
              + " start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd");
    }
  }
}
