package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.server.http.tls.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsConfigTest {

  @TempDir Path dir;

  @Test
  void tlsIsOffByDefault() {
    assertThat(ConfigLoader.load(null, Map.of()).server().tls()).isEqualTo(TlsSettings.OFF);
  }

  @Test
  void theGuidesFilesComeFromTheYamlFile() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("ajr.yaml"),
            """
            server:
              port: 8443
              tls-cert: /etc/ajr/ajr.crt
              tls-key: /etc/ajr/ajr.key
              http-redirect-port: 8080
            """);

    TlsSettings tls = ConfigLoader.load(file, Map.of()).server().tls();

    assertThat(tls)
        .isEqualTo(new TlsSettings(Path.of("/etc/ajr/ajr.crt"), Path.of("/etc/ajr/ajr.key"), 8080));
    assertThat(tls.enabled()).isTrue();
  }

  @Test
  void oneFileAloneIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("server.tls-cert", "/etc/ajr/ajr.crt")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("give both server.tls-cert and server.tls-key")
        .hasMessageContaining("only server.tls-cert is set");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("server.tls-key", "/etc/ajr/ajr.key")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("only server.tls-key is set");
  }

  @Test
  void aRedirectPortNeedsTlsAndItsOwnPort() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("server.http-redirect-port", "8081")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.http-redirect-port")
        .hasMessageContaining("needs server.tls-cert and server.tls-key");
    assertThatThrownBy(() ->
            ConfigLoader.load(
                null,
                Map.of(
                    "server.tls-cert", "a.crt",
                    "server.tls-key", "a.key",
                    "server.http-redirect-port", "8080")))
        .hasMessageContaining("must differ from server.port");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("server.http-redirect-port", "x")))
        .hasMessageContaining("server.http-redirect-port must be a whole number");
  }
}
