package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.server.http.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ajr server} as a process, configured with the guide's ajr.crt and ajr.key: it serves the
 * API over HTTPS. Needs no jobs: it only observes (recovery.mode observe), so it never acts on the
 * shared cluster.
 */
class HttpsServerIT {

  @TempDir Path root;

  @Test
  void theServerProcessServesHttpsFromPemFiles() throws Exception {
    TestCertificates certs = TestCertificates.create(root.resolve("tls"));
    Path log = root.resolve("server.log");
    ServerProcess server =
        ServerProcess.start(
            List.of("--data-dir", root.resolve("data").toString()),
            Map.of("AJR_ADMIN_PASSWORD", "it-admin-pass"),
            log,
            List.of("recovery.mode: observe"),
            certs);
    try {
      server.awaitUp();
      JsonNode me = server.client("admin", "it-admin-pass").get("/api/v1/me");

      assertThat(server.url()).startsWith("https://");
      assertThat(me.path("username").asText()).isEqualTo("admin");
      assertThat(Files.readString(log)).contains("serving HTTPS (TLSv1.3, TLSv1.2)");
    } finally {
      server.stop();
    }
  }
}
