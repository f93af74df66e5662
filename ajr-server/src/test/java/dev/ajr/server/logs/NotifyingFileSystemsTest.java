package dev.ajr.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyingFileSystemsTest {

  @Test
  void sharedAndParallelFileSystemsArePolled() {
    for (String type :
        new String[] {"nfs", "nfs4", "lustre", "gpfs", "beegfs", "ceph", "cifs", "smb3", "NFS4"}) {
      assertThat(NotifyingFileSystems.notifies(type)).as(type).isFalse();
    }
  }

  @Test
  void fuseMountsArePolled() {
    assertThat(NotifyingFileSystems.notifies("fuse.sshfs")).isFalse();
    assertThat(NotifyingFileSystems.notifies("fuse.glusterfs")).isFalse();
    assertThat(NotifyingFileSystems.notifies("fuse")).isFalse();
  }

  @Test
  void localFileSystemsNotify() {
    for (String type : new String[] {"ext4", "xfs", "btrfs", "tmpfs", "zfs", "overlay"}) {
      assertThat(NotifyingFileSystems.notifies(type)).as(type).isTrue();
    }
  }

  @Test
  void aMissingDirectoryIsPolledWithAReason(@TempDir Path dir) {
    assertThat(NotifyingFileSystems.whyPolled(dir.resolve("missing")))
        .hasValueSatisfying(why -> assertThat(why).contains("cannot be identified"));
  }
}
