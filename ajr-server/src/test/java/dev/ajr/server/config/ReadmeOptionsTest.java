package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists every option with the default the code uses. */
class ReadmeOptionsTest {

  @Test
  void readmeListsEveryOptionWithItsDefault() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (ConfigLoader.Option option : ConfigLoader.OPTIONS) {
      assertThat(readme)
          .as("README row of %s", option.name())
          .contains("| `" + option.name() + "` | `" + option.defaultValue() + "` |");
    }
  }
}
