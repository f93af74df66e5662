package dev.ajr.server.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which file systems report changes through notifications (inotify on Linux) that ajr can rely on.
 *
 * <p>Contract: a network or parallel file system (NFS, Lustre, GPFS, BeeGFS, CephFS, SMB, FUSE
 * mounts, ...) is written by the compute nodes, not by the host ajr runs on, and the kernel of that
 * host only notifies changes made through it: such directories must be polled. Every other type is
 * taken to notify. Pure apart from asking which file system holds a directory.
 */
public final class NotifyingFileSystems {

  /** File-system types (as in {@code /proc/mounts}) whose remote changes raise no notification. */
  private static final Set<String> SHARED =
      Set.of(
          "nfs",
          "nfs4",
          "lustre",
          "gpfs",
          "beegfs",
          "ceph",
          "cifs",
          "smb",
          "smb2",
          "smb3",
          "smbfs",
          "afs",
          "9p",
          "glusterfs",
          "ocfs2",
          "gfs2",
          "panfs",
          "pvfs2",
          "orangefs",
          "wekafs",
          "quobyte",
          "davfs",
          "ncpfs",
          "cvfs",
          "vboxsf",
          "virtiofs",
          "fuse",
          "fuseblk");

  private NotifyingFileSystems() {}

  /** True when a file system of this type reports the changes the compute nodes make. */
  public static boolean notifies(String type) {
    String t = type.toLowerCase(Locale.ROOT);
    return !SHARED.contains(t) && !t.startsWith("fuse.");
  }

  /**
   * Why changes in the directory cannot be waited for, or empty when notifications work there.
   *
   * @return for example "it is on nfs4, where changes made on other hosts raise no notification"
   */
  public static Optional<String> whyPolled(Path dir) {
    String type;
    try {
      type = Files.getFileStore(dir).type();
    } catch (IOException | SecurityException e) {
      return Optional.of("its file system cannot be identified (" + e + ")");
    }
    if (notifies(type)) {
      return Optional.empty();
    }
    return Optional.of(
        "it is on " + type + ", where changes made on other hosts raise no notification");
  }
}
