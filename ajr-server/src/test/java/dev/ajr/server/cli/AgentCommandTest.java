package dev.ajr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.server.agent.AgentSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCommandTest {

  @TempDir Path dir;

  @Test
  void readsTheOptionsAndTheTokenFile() throws Exception {
    Path token = Files.writeString(dir.resolve("agent.token"), "ajr_secret\n");
    Path kern = Files.createFile(dir.resolve("kern.log"));
    AgentSettings s =
        AgentCommand.parse(
            List.of(
                "--server",
                "http://ajr:8080",
                "--node",
                "node7",
                "--token-file",
                token.toString(),
                "--kernel-log",
                kern.toString(),
                "--no-job-output"),
            Map.of());
    assertThat(s.node()).isEqualTo("node7");
    assertThat(s.token()).isEqualTo("ajr_secret");
    assertThat(s.kernelLog()).isEqualTo(kern);
    assertThat(s.jobOutput()).isFalse();
    assertThat(s.toString()).doesNotContain("ajr_secret");
  }

  @Test
  void theTokenMayComeFromTheEnvironmentAndTheRealKernelLogIsTheDefault() throws Exception {
    AgentSettings s =
        AgentCommand.parse(
            List.of("--server", "https://ajr", "--node", "n1"), Map.of("AJR_AGENT_TOKEN", "t"));
    assertThat(s.kernelLog()).isEqualTo(AgentSettings.KMSG);
    assertThat(s.jobOutput()).isTrue();
  }

  @Test
  void mistakesAreExplained() {
    assertThatThrownBy(
            () -> AgentCommand.parse(List.of("--node", "n1"), Map.of("AJR_AGENT_TOKEN", "t")))
        .hasMessageContaining("--server URL");
    assertThatThrownBy(() ->
            AgentCommand.parse(
                List.of("--server", "ftp://x", "--node", "n"), Map.of("AJR_AGENT_TOKEN", "t")))
        .hasMessageContaining("http:// or https://");
    assertThatThrownBy(
            () -> AgentCommand.parse(List.of("--server", "http://x", "--node", "n"), Map.of()))
        .hasMessageContaining("agent.token");
    assertThatThrownBy(() ->
            AgentCommand.parse(
                List.of("--server", "http://x", "--node", "n", "--kernel-log", "/no/such/file"),
                Map.of("AJR_AGENT_TOKEN", "t")))
        .hasMessageContaining("does not exist");
  }
}
