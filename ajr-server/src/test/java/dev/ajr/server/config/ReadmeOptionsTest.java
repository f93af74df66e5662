package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.server.config.option.Option;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration section lists the essential options with the default the code uses,
 * and links the full list, docs/configuration.md (checked by {@link ConfigurationDocTest}).
 */
class ReadmeOptionsTest {

  @Test
  void readmeListsEveryEssentialOptionWithItsDefaultAndLinksTheFullList() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertThat(readme).contains("(docs/configuration.md)");
    for (Option<?> option : OptionCatalog.ALL) {
      if (option.group() == Option.Group.ESSENTIAL) {
        assertThat(readme)
            .as("README row of %s", option.name())
            .contains("| `" + option.name() + "` | `" + option.shownDefault() + "` |");
      }
    }
  }
}
