package dev.ajr.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.testing.FakeScheduler;
import dev.ajr.core.testing.MemoryNodeControl;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files private by default: a server started on a fresh data directory keeps it and everything in
 * it readable by its own user only, and one started on a looser directory narrows it.
 */
class PrivateDataDirectoryTest {

  @TempDir Path dir;

  private AjrConfig config(Path dataDir) {
    return ConfigLoader.load(
        null,
        Map.of("data-dir", dataDir.toString(), "server.port", "0", "logs.follow-files", "false"),
        Map.of());
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private AjrServer start(Path dataDir) throws Exception {
    AjrServer server =
        new AjrServer(
            config(dataDir),
            new FakeScheduler(Clock.systemUTC()),
            new MemoryNodeControl("node1"),
            Clock.systemUTC());
    server.start();
    return server;
  }

  @Test
  void aFreshStartMakesTheDataDirectoryAndEveryFileInItPrivate() throws Exception {
    Path data = dir.resolve("data");
    try (AjrServer server = start(data)) {
      assertThat(mode(data)).isEqualTo("rwx------");
      List<Path> files;
      try (var list = Files.list(data)) {
        files = list.filter(Files::isRegularFile).toList();
      }
      assertThat(files)
          .extracting(p -> p.getFileName().toString())
          .contains("ajr.db", "ajr.db-wal", "ajr.db-shm", "agent.token");
      if (System.getenv("AJR_ADMIN_PASSWORD") == null) {
        assertThat(files)
            .extracting(p -> p.getFileName().toString())
            .contains("initial-admin-password");
      }
      for (Path f : files) {
        assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
      }
    }
  }

  @Test
  void aLooserDataDirectoryIsNarrowedAtStart() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path password = Files.writeString(data.resolve("initial-admin-password"), "left-over\n");
    Path cert = Files.writeString(data.resolve("ajr.key"), "-----BEGIN PRIVATE KEY-----\n");
    for (Path f : List.of(password, cert)) {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }
    try (AjrServer server = start(data)) {
      assertThat(mode(data)).isEqualTo("rwx------");
      assertThat(mode(password)).isEqualTo("rw-------");
      assertThat(mode(cert)).isEqualTo("rw-------");
      assertThat(mode(data.resolve("ajr.db"))).isEqualTo("rw-------");
    }
  }
}
