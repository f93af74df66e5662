package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.server.config.option.Option;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is what the option declarations generate. With {@code
 * -Dajr.write-docs=true} the test rewrites it instead (see {@link ConfigurationDoc#REGENERATE}).
 */
class ConfigurationDocTest {

  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  @Test
  void theCommittedDocumentIsWhatTheDeclarationsGenerate() throws Exception {
    String generated = ConfigurationDoc.markdown();
    if (Boolean.getBoolean("ajr.write-docs")) {
      Files.writeString(DOC, generated);
    }
    String committed = Files.exists(DOC) ? Files.readString(DOC) : "";
    assertThat(committed)
        .as(
            "docs/configuration.md differs from the option declarations; regenerate it with: %s",
            ConfigurationDoc.REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void everyOptionIsDocumentedWithItsDefaultTypeFlagAndEnvironmentVariable() {
    String doc = ConfigurationDoc.markdown();
    for (Option<?> o : OptionCatalog.ALL) {
      assertThat(doc).contains("| `" + o.name() + "` | `" + o.shownDefault() + "` | ");
      o.flag().ifPresent(flag -> assertThat(doc).contains("`" + flag + " " + o.flagLabel() + "`"));
      o.env().ifPresent(env -> assertThat(doc).contains("`" + env + "`"));
    }
    assertThat(doc)
        .containsSubsequence(
            "## Essential options", "## Frequently used options", "## Rarely changed options")
        .contains("| `server.port` | `8080` | whole number, 0 to 65535 | `--port N` |")
        .contains("| `database.password-file` | `(AJR_DB_PASSWORD)` | path, *secret* |")
        .contains("| `ingest.agent-token-file` | `<data-dir>/agent.token` |");
  }
}
