package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes in the YAML file are named with the file, the line and the key. */
class YamlOptionsFileTest {

  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    return Files.writeString(dir.resolve("ajr.yaml"), text);
  }

  @Test
  void aSecondBlockWithTheSameKeyIsRefusedInsteadOfReplacingTheFirst() throws IOException {
    Path file =
        yaml(
            """
            recovery:
              mode: observe
            server:
              port: 9090
            logs:
              grace: 30s
            recovery:
              max-per-cause: 2
            """);

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            file
                + ": duplicate key \"recovery\" at line 7 (first at line 1); merge the two blocks");
  }

  @Test
  void aValueWrittenTwiceIsRefused() throws IOException {
    Path file = yaml("server:\n  port: 9090\n  port: 9191\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .hasMessage(
            file + ": duplicate key \"port\" at line 3 (first at line 2); keep one of them");
  }

  @Test
  void duplicateKeysInADestinationAreRefused() throws IOException {
    Path file =
        yaml(
            """
            notifications:
              destinations:
                - name: a
                  type: slack
                  name: b
            """);

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .hasMessageContaining("duplicate key \"name\" at line 5 (first at line 3)");
  }

  @Test
  void anUnknownOptionGetsItsLineAndTheOptionMeant() throws IOException {
    Path file = yaml("server:\n  port: 9090\nrecovery:\n  mdoe: observe\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .hasMessage(
            file
                + ": unknown option \"recovery.mdoe\" at line 4; did you mean recovery.mode?"
                + " (see docs/configuration.md)");
  }

  @Test
  void anUnknownOptionFarFromAnyOtherGetsNoGuess() throws IOException {
    Path file = yaml("colour: blue\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .hasMessage(file + ": unknown option \"colour\" at line 1 (see docs/configuration.md)");
  }

  @Test
  void aValueOfTheWrongTypeNamesTheFileAndTheLine() throws IOException {
    Path file = yaml("server:\n  host: 0.0.0.0\n  port: http\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .hasMessage(file + ": server.port must be a whole number, not \"http\" (line 3)");
  }

  @Test
  void aGroupGivenAValueOrAnOptionGivenAMappingIsExplained() throws IOException {
    Path group = yaml("server: 8080\n");
    assertThatThrownBy(() -> ConfigLoader.load(group, Map.of(), Map.of()))
        .hasMessageContaining("server holds options: write them under it, like server.host")
        .hasMessageContaining("(line 1)");
    Path option = yaml("server:\n  port:\n    number: 1\n");
    assertThatThrownBy(() -> ConfigLoader.load(option, Map.of(), Map.of()))
        .hasMessage(file(option) + ": server.port takes a single value, not a mapping (line 2)");
  }

  @Test
  void aCommandLineValueOfTheWrongTypeNamesTheFlag() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("server.port", "x"), Map.of()))
        .hasMessage("--port: server.port must be a whole number, not \"x\"");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("logs.grace", "x"), Map.of()))
        .hasMessageStartingWith("command line: logs.grace: \"x\" is not a duration");
  }

  @Test
  void anUnknownOverrideGetsTheOptionMeant() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("recovery.mdoe", "act"), Map.of()))
        .hasMessage("unknown option recovery.mdoe; did you mean recovery.mode?");
  }

  @Test
  void anEmptyValueOfAnOptionWithoutDefaultMeansNotSet() throws IOException {
    Path file = yaml("loki:\n  url:\ndatabase:\n  url: \"\"\n");

    AjrConfig c = ConfigLoader.load(file, Map.of(), Map.of());

    assertThat(c.loki().enabled()).isFalse();
    assertThat(c.database().embedded()).isTrue();
  }

  @Test
  void aYamlListIsAList() throws IOException {
    Path file = yaml("ingest:\n  job-labels: [job, jid]\n");

    assertThat(ConfigLoader.load(file, Map.of(), Map.of()).ingest().labels().jobLabels())
        .containsExactly("job", "jid");
  }

  private static String file(Path p) {
    return p.toString();
  }
}
