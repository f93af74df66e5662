package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.server.config.SlurmConfig.TrackingPath;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slurm.tracking-path} and {@code slurm.rest.*}: the CLI by default, slurmrestd on demand.
 */
class SlurmOptionsTest {

  private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.e30.secret-signature";

  @TempDir Path dir;

  private Map<String, String> rest(String... more) {
    Map<String, String> options = new HashMap<>();
    options.put("slurm.tracking-path", "rest");
    options.put("slurm.rest.url", "http://127.0.0.1:6820");
    options.put("slurm.rest.user", "slurm");
    for (int i = 0; i < more.length; i += 2) {
      options.put(more[i], more[i + 1]);
    }
    return options;
  }

  @Test
  void theCommandLineIsTheDefaultAndNeedsNoRestSettings() {
    SlurmConfig slurm = ConfigLoader.load(null, Map.of(), Map.of()).slurm();

    assertThat(slurm.trackingPath()).isEqualTo(TrackingPath.CLI);
    assertThat(slurm.rest()).isNull();
  }

  @Test
  void restReadsTheTokenFileAtStart() throws IOException {
    Path file = Files.writeString(dir.resolve("slurm.jwt"), "SLURM_JWT=" + TOKEN + "\n");

    SlurmConfig slurm =
        ConfigLoader.load(null, rest("slurm.rest.token-file", file.toString()), Map.of()).slurm();

    assertThat(slurm.trackingPath()).isEqualTo(TrackingPath.REST);
    assertThat(slurm.rest().url()).isEqualTo(URI.create("http://127.0.0.1:6820"));
    assertThat(slurm.rest().user()).isEqualTo("slurm");
    assertThat(slurm.rest().token().value()).isEqualTo(TOKEN);
    assertThat(slurm.rest().token().source()).isEqualTo("the token file " + file);
  }

  @Test
  void theNestedYamlOfTheReadmeLoads() throws IOException {
    Path token = Files.writeString(dir.resolve("slurm.jwt"), TOKEN);
    Path yaml =
        Files.writeString(
            dir.resolve("ajr.yaml"),
            """
            slurm:
              tracking-path: rest
              rest:
                url: http://127.0.0.1:6820          # slurmrestd
                user: ajr                           # the Slurm user of the token
                token-file: %s
            """
                .formatted(token));

    SlurmConfig slurm = ConfigLoader.load(yaml, Map.of(), Map.of()).slurm();

    assertThat(slurm.trackingPath()).isEqualTo(TrackingPath.REST);
    assertThat(slurm.rest().user()).isEqualTo("ajr");
    assertThat(slurm.rest().token().value()).isEqualTo(TOKEN);
  }

  @Test
  void withoutAFileTheTokenComesFromSlurmJwt() {
    SlurmConfig slurm = ConfigLoader.load(null, rest(), Map.of("SLURM_JWT", TOKEN)).slurm();

    assertThat(slurm.rest().token().value()).isEqualTo(TOKEN);
    assertThat(slurm.rest().token().source()).isEqualTo("the environment variable SLURM_JWT");
  }

  @Test
  void aMissingTokenStopsTheStartWithWhatToSet() {
    assertThatThrownBy(() -> ConfigLoader.load(null, rest(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("slurm.tracking-path rest needs a token")
        .hasMessageContaining("slurm.rest.token-file")
        .hasMessageContaining("SLURM_JWT")
        .hasMessageContaining("scontrol token username=slurm");
  }

  @Test
  void anUnreadableOrEmptyTokenFileIsNamedWithoutAnyToken() throws IOException {
    String missing = dir.resolve("missing.jwt").toString();
    assertThatThrownBy(() ->
            ConfigLoader.load(
                null, rest("slurm.rest.token-file", missing), Map.of("SLURM_JWT", TOKEN)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("slurm.rest.token-file " + missing + " cannot be read (no such file)")
        .hasMessageNotContaining(TOKEN);

    Path empty = Files.writeString(dir.resolve("empty.jwt"), "\n");
    assertThatThrownBy(() ->
            ConfigLoader.load(null, rest("slurm.rest.token-file", empty.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("needs a token");
  }

  @Test
  void restNeedsTheAddressAndTheUser() {
    Map<String, String> noUser = rest();
    noUser.remove("slurm.rest.user");
    assertThatThrownBy(() -> ConfigLoader.load(null, noUser, Map.of("SLURM_JWT", TOKEN)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("slurm.rest.url")
        .hasMessageContaining("slurm.rest.user");

    assertThatThrownBy(() ->
            ConfigLoader.load(
                null, rest("slurm.rest.url", "127.0.0.1:6820"), Map.of("SLURM_JWT", TOKEN)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("slurm.rest.url must be an http:// or https:// URL");
  }

  @Test
  void anUnknownTrackingPathNamesTheChoices() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("slurm.tracking-path", "grpc")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("slurm.tracking-path must be cli or rest, not \"grpc\"");
  }

  @Test
  void theStartupSummarySaysWhereJobsAreReadAndNeverTheToken() {
    String cli = String.join("\n", ConfigLoader.load(null, Map.of(), Map.of()).startupSummary());
    String restSummary =
        String.join(
            "\n", ConfigLoader.load(null, rest(), Map.of("SLURM_JWT", TOKEN)).startupSummary());

    assertThat(cli).contains("slurm: jobs read with Slurm's commands");
    assertThat(restSummary)
        .contains(
            "slurm: jobs read from slurmrestd at http://127.0.0.1:6820 as slurm with the"
                + " environment variable SLURM_JWT")
        .doesNotContain(TOKEN);
  }
}
