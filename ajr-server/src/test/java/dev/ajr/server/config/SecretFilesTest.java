package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every "password file, else environment variable" option is read by one helper. */
class SecretFilesTest {

  @TempDir Path dir;

  /** The password-file option (as written in the file) and what else it needs to be read. */
  private static final Map<String, Map<String, String>> CASES =
      Map.of(
          "database:\n  password-file: ",
          Map.of("database.url", "jdbc:postgresql://db/ajr"),
          "events:\n  amqp-password-file: ",
          Map.of("events.amqp-url", "amqp://mq/"),
          "auth:\n  ldap:\n    bind-password-file: ",
          Map.of(
              "auth.ldap.uri", "ldaps://ldap.example.com",
              "auth.ldap.bind-dn", "cn=ajr,dc=x",
              "auth.ldap.search-base", "dc=x"),
          "loki:\n  password-file: ",
          Map.of("loki.url", "http://loki:3100", "loki.user", "ajr"),
          "notifications:\n  smtp:\n    password-file: ",
          Map.of("notifications.smtp.user", "ajr"));

  @Test
  void everyUnreadablePasswordFileIsNamedTheSameWay() throws IOException {
    String missing = dir.resolve("missing").toString();
    for (var c : CASES.entrySet()) {
      Path file = Files.writeString(dir.resolve("ajr.yaml"), c.getKey() + missing + "\n");
      String option = c.getKey().replaceAll(":\\s*", ".").replaceAll("\\.$", "").strip();
      int line = (int) c.getKey().lines().count();
      assertThatThrownBy(() -> ConfigLoader.load(file, c.getValue(), Map.of()))
          .as(option)
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              file
                  + ": "
                  + option
                  + " "
                  + missing
                  + " cannot be read (no such file) (line "
                  + line
                  + ")");
    }
  }

  @Test
  void theFileWinsOverTheEnvironmentVariable() throws IOException {
    Path password = Files.writeString(dir.resolve("pw"), "from-file\n");
    Map<String, String> env = Map.of("AJR_LDAP_BIND_PASSWORD", "from-env");
    Map<String, String> ldap =
        Map.of(
            "auth.ldap.uri", "ldaps://ldap.example.com",
            "auth.ldap.bind-dn", "cn=ajr,dc=x",
            "auth.ldap.search-base", "dc=x");

    assertThat(ConfigLoader.load(null, ldap, env).ldap().settings().bindPassword())
        .isEqualTo("from-env");
    Map<String, String> withFile = new java.util.HashMap<>(ldap);
    withFile.put("auth.ldap.bind-password-file", password.toString());
    assertThat(ConfigLoader.load(null, withFile, env).ldap().settings().bindPassword())
        .isEqualTo("from-file");
  }
}
