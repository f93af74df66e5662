package dev.ajr.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

  @TempDir Path dir;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void aSecretIsPrivateFromTheMomentItExistsAndStaysSoWhenRewritten() throws Exception {
    Path nested = dir.resolve("a/b");
    PrivateFiles.createDirectory(nested);
    assertThat(mode(nested)).isEqualTo("rwx------");
    Path secret = nested.resolve("token");
    PrivateFiles.write(secret, "s3cret\n");
    assertThat(mode(secret)).isEqualTo("rw-------");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-rw-rw-"));
    PrivateFiles.write(secret, "other\n");
    assertThat(mode(secret)).isEqualTo("rw-------");
    assertThat(Files.readString(secret)).isEqualTo("other\n");
  }

  @Test
  void secureNarrowsOnlyWhatIsLooserAndSaysWhat() throws Exception {
    Path loose = Files.writeString(dir.resolve("ajr.db"), "");
    Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
    Path readOnly = Files.writeString(dir.resolve("notes"), "");
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--------"));
    Path sub = Files.createDirectories(dir.resolve("demo"));
    Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));

    List<String> changes = PrivateFiles.secure(dir);

    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(loose)).isEqualTo("rw-------");
    assertThat(mode(readOnly)).isEqualTo("r--------");
    assertThat(mode(sub)).isEqualTo("rwxr-xr-x"); // not ajr's to change
    assertThat(changes)
        .hasSize(2)
        .anySatisfy(c -> assertThat(c).contains("ajr.db").contains("rw-r--r--"));
    assertThat(PrivateFiles.secure(dir)).isEmpty();
  }
}
