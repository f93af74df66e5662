package dev.ajr.server.http;

import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.store.Database;
import java.nio.file.Path;
import java.time.Clock;

/**
 * An API server in a JVM of its own, for {@link SlowClientTest}: the JDK reads its server settings
 * once per JVM, so the test starts this with a short {@code -Dsun.net.httpserver.maxReqTime}.
 * Prints {@code port=N} when it answers; stops when its standard input ends.
 */
public final class SlowClientServer {

  private SlowClientServer() {}

  /**
   * @param args the data directory
   */
  public static void main(String[] args) throws Exception {
    Clock clock = Clock.systemUTC();
    try (Database db = Database.openSqlite(Path.of(args[0]))) {
      UserStore users = new UserStore(db, clock);
      users.putUser("olga", "olga-password-12", Role.OPERATOR);
      try (ApiServer server = TestApi.on(db, clock).users(users).start()) {
        System.out.println("port=" + server.port());
        System.out.flush();
        System.in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
  }
}
