package dev.ajr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command answers --help and -h with its usage and an example, and starts nothing. */
class CommandHelpTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(List<String> args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "server",
        "demo",
        "dev-cluster",
        "test",
        "classify",
        "explain",
        "db",
        "agent",
        "completion",
        "version"
      })
  void helpPrintsTheUsageAndAnExampleAndStartsNothing(String command) throws IOException {
    for (String flag : List.of("--help", "-h")) {
      out.reset();
      int port = freePort();
      Path data = dir.resolve(command + flag);
      List<String> args = new ArrayList<>(List.of(command, flag));
      if (List.of("server", "demo", "db").contains(command)) {
        args.addAll(List.of("--port", String.valueOf(port), "--data-dir", data.toString()));
      }
      if (command.equals("agent")) {
        args.addAll(List.of("--state-dir", data.toString()));
      }

      assertThat(run(args)).as(command + " " + flag).isZero();

      assertThat(output())
          .as(command + " " + flag)
          .startsWith("usage: ajr " + command)
          .containsPattern("examples?:\\n[\\s\\S]*ajr " + command);
      assertThat(data).as("nothing created").doesNotExist();
      try (ServerSocket s = new ServerSocket(port)) {
        assertThat(s.getLocalPort()).as("the port is still free").isEqualTo(port);
      }
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void helpOfACommandNamesItsFlagsFromTheDeclarations() {
    assertThat(run(List.of("help", "server"))).isZero();

    assertThat(output())
        .contains("--port=N", "server.port; default: 8080")
        .contains("--db-url=URL", "--amqp-url=URL", "--rules=DIR", "--config=FILE");
  }

  @Test
  void theScriptCommandsDescribeWhatTheyRun() {
    assertThat(run(List.of("dev-cluster", "--help"))).isZero();
    assertThat(output()).contains("up|down|status", "up: install", "down: stop", "status: show");
    out.reset();
    assertThat(run(List.of("test", "--help"))).isZero();
    assertThat(output()).contains("MAVEN_ARGUMENT", "./mvnw -B verify");
  }

  @Test
  void versionPrintsTheVersionAndTheCommit() {
    for (List<String> args : List.of(List.of("--version"), List.of("version"), List.of("-V"))) {
      out.reset();
      assertThat(run(args)).as(args.toString()).isZero();
      assertThat(output().strip())
          .as(args.toString())
          .matches("ajr \\S+ \\(commit ([0-9a-f]{7,}|unknown), built \\S+\\)")
          .doesNotContain("ajr unknown");
    }
  }

  @Test
  void completionIsABashScriptOfEveryCommandAndFlag() {
    assertThat(run(List.of("completion"))).isZero();

    assertThat(output())
        .contains("complete -F")
        .contains("dev-cluster", "explain", "agent")
        .contains("--db-url", "--amqp-url", "--no-kernel-log")
        .contains("migrate", "status");
  }

  @Test
  void anUnknownOptionIsAUsageErrorWithTheOptionMeant() {
    assertThat(run(List.of("server", "--prot", "9090"))).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "ajr: unknown option --prot; did you mean --port? (ajr server --help lists the"
                + " options)\n");
  }

  @Test
  void anUnknownCommandGetsTheCommandMeant() {
    assertThat(run(List.of("explian", "x.log"))).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("ajr: unknown command explian; did you mean explain?");
  }

  @Test
  void theScriptCommandsRunFromTheJarSayWhereTheyRun() {
    assertThat(run(List.of("dev-cluster", "up"))).isEqualTo(1);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("./ajr dev-cluster")
        .contains("scripts/dev-cluster.sh");
  }

  @Test
  void aMissingArgumentNamesIt() {
    assertThat(run(List.of("explain"))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("ajr: explain needs FILE");
  }

  @Test
  void anUnreadableDatabaseDirectoryIsAFailureNotAUsageError() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

    assertThat(run(List.of("db", "status", "--data-dir", file.toString()))).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("ajr: ").doesNotContain("\tat ");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
