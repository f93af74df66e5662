package dev.ajr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line answers mistakes with one clear sentence and an exit status, no stack trace. */
class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void noCommandPrintsUsageAndFails() {
    assertThat(run()).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: ajr <command>", "demo");
  }

  @Test
  void helpPrintsUsage() {
    assertThat(run("help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--data-dir DIR");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("serve")).isEqualTo(2);
    assertThat(errors()).startsWith("ajr: unknown command serve");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(run("server", "--bogus", "1")).isEqualTo(2);
    assertThat(errors()).contains("unknown option --bogus").doesNotContain("Exception");
  }

  @Test
  void optionWithoutValueIsAUsageError() {
    assertThat(run("server", "--port")).isEqualTo(2);
    assertThat(errors()).contains("--port needs a value");
  }

  @Test
  void aWrongAmqpUrlIsNamedWithoutItsPassword() {
    assertThat(run("server", "--amqp-url", "http://ajr:s3cret@127.0.0.1:5672/")).isEqualTo(1);
    assertThat(errors())
        .contains("events.amqp-url", "is not an AMQP URL")
        .doesNotContain("s3cret")
        .doesNotContain("Exception");
  }

  @Test
  void helpNamesTheAmqpUrl() {
    assertThat(run("help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--amqp-url URL");
  }

  @Test
  void otherDatabasesAreRefusedWithoutShowingCredentials() {
    assertThat(run("server", "--db-url", "jdbc:oracle://ajr:secret@127.0.0.1:1521/ajr"))
        .isEqualTo(1);
    assertThat(errors()).contains("is not supported").doesNotContain("secret");
  }

  @Test
  void aMissingConfigFileIsNamed() {
    assertThat(run("server", "--config", "/nonexistent/ajr.yaml")).isEqualTo(1);
    assertThat(errors()).contains("cannot read the configuration file /nonexistent/ajr.yaml");
  }

  @Test
  void aPortOutOfRangeIsNamed() {
    assertThat(run("server", "--port", "99999")).isEqualTo(1);
    assertThat(errors()).contains("server.port must be from 0 to 65535, not 99999");
  }
}
