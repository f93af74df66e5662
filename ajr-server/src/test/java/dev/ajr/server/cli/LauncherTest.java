package dev.ajr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher {@code ./ajr} hands help and version requests to the Java command line before it
 * runs any script: {@code ./ajr demo --help} never brings the cluster up; Java gets a bounded heap
 * unless the user bounds it. Checked with the launcher's dry run, which says what it would run (or
 * the JVM's options) and runs nothing (no build, no Java).
 */
class LauncherTest {

  private static final Path LAUNCHER = Path.of("..", "ajr");

  private static String route(String... args) throws IOException, InterruptedException {
    return dryRun("1", Map.of(), args);
  }

  private static String jvmOptions(Map<String, String> env) throws Exception {
    return dryRun("jvm", env, "server");
  }

  private static String dryRun(String kind, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("AJR_HEAP");
    pb.environment().remove("AJR_JAVA_OPTS");
    pb.environment().putAll(env);
    pb.environment().put("AJR_LAUNCHER_DRY_RUN", kind);
    pb.environment().put("PATH", "/usr/bin:/bin");
    Process p = pb.start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("the launcher answers at once").isTrue();
    assertThat(p.exitValue()).isZero();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  @Test
  void helpAndVersionGoToJavaWhateverTheCommand() throws Exception {
    for (String command : List.of("demo", "dev-cluster", "test", "server", "agent")) {
      assertThat(route(command, "--help")).as(command + " --help").isEqualTo("java");
      assertThat(route(command, "-h")).as(command + " -h").isEqualTo("java");
    }
    assertThat(route("dev-cluster", "up", "--help")).isEqualTo("java");
    assertThat(route("--version")).isEqualTo("java");
    assertThat(route("help")).isEqualTo("java");
    assertThat(route()).isEqualTo("java");
  }

  @Test
  void theScriptsRunBeforeJavaOtherwise() throws Exception {
    assertThat(route("dev-cluster", "up")).isEqualTo("script dev-cluster.sh");
    assertThat(route("test", "-DskipITs")).isEqualTo("script test.sh");
    assertThat(route("demo")).isEqualTo("demo");
    assertThat(route("server", "--port", "9090")).isEqualTo("java");
  }

  @Test
  void javaGetsABoundedHeapUnlessTheUserBoundsIt() throws Exception {
    assertThat(jvmOptions(Map.of())).isEqualTo("-Xmx512m");
    assertThat(jvmOptions(Map.of("AJR_HEAP", "2g"))).isEqualTo("-Xmx2g");
    assertThat(jvmOptions(Map.of("AJR_JAVA_OPTS", "-Dlogback.configurationFile=/etc/ajr/l.xml")))
        .isEqualTo("-Xmx512m -Dlogback.configurationFile=/etc/ajr/l.xml");
    assertThat(jvmOptions(Map.of("AJR_HEAP", "2g", "AJR_JAVA_OPTS", "-Xms64m -Xmx3g")))
        .as("-Xmx in AJR_JAVA_OPTS wins")
        .isEqualTo("-Xms64m -Xmx3g");
    assertThat(jvmOptions(Map.of("AJR_JAVA_OPTS", "-XX:MaxRAMPercentage=50")))
        .isEqualTo("-XX:MaxRAMPercentage=50");
  }
}
