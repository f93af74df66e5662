package dev.ajr.slurm.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlurmTokenTest {

  @TempDir Path dir;

  @Test
  void readsTheTokenAsScontrolTokenPrintsItOrBare() throws IOException {
    Path printed = Files.writeString(dir.resolve("printed"), "SLURM_JWT=eyJ.abc.def\n");
    Path bare = Files.writeString(dir.resolve("bare"), "  eyJ.abc.def  \n");

    assertThat(SlurmToken.fromFile(printed).value()).isEqualTo("eyJ.abc.def");
    assertThat(SlurmToken.fromFile(bare).value()).isEqualTo("eyJ.abc.def");
    assertThat(SlurmToken.fixed("SLURM_JWT=eyJ.x.y", "SLURM_JWT").value()).isEqualTo("eyJ.x.y");
  }

  @Test
  void reloadSaysWhetherTheFileHoldsANewToken() throws IOException {
    Path file = Files.writeString(dir.resolve("jwt"), "old");
    SlurmToken token = SlurmToken.fromFile(file);

    assertThat(token.reload()).isFalse();
    Files.writeString(file, "new");
    assertThat(token.reload()).isTrue();
    assertThat(token.value()).isEqualTo("new");
    assertThat(SlurmToken.fixed("t", "SLURM_JWT").reload()).isFalse();
  }

  @Test
  void aFileThatIsGoneOrEmptyIsNamedNeverItsFormerToken() throws IOException {
    Path file = Files.writeString(dir.resolve("jwt"), "secret-token");
    SlurmToken token = SlurmToken.fromFile(file);
    Files.delete(file);

    assertThatThrownBy(token::reload)
        .isInstanceOf(SlurmToken.Unreadable.class)
        .hasMessage("the token file " + file + " cannot be read (no such file)");
    Files.writeString(file, " \n");
    assertThatThrownBy(() -> SlurmToken.fromFile(file))
        .hasMessage("the token file " + file + " is empty");
    assertThat(token.toString()).isEqualTo("the token file " + file).doesNotContain("secret");
  }
}
