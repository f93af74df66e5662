package dev.ajr.server.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Which files live on a network or parallel filesystem, shared by the nodes. */
final class Filesystems {

  private static final Set<String> NETWORK =
      Set.of(
          "nfs",
          "nfs4",
          "lustre",
          "gpfs",
          "beegfs",
          "cifs",
          "smb3",
          "smbfs",
          "ceph",
          "glusterfs",
          "9p",
          "afs",
          "panfs",
          "wekafs",
          "orangefs",
          "pvfs2");

  private Filesystems() {}

  /** True for a network or parallel filesystem; false for a local disk or when it cannot tell. */
  static boolean isNetwork(Path path) {
    try {
      Path existing = path;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null) {
        return false;
      }
      String type = Files.getFileStore(existing).type().toLowerCase(Locale.ROOT);
      return NETWORK.contains(type) || type.startsWith("fuse.");
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
