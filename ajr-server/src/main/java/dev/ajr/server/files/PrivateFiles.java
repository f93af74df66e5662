package dev.ajr.server.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Files only ajr's own user may read: the data directory is {@code rwx------} (0700) and every file
 * ajr creates there, and every secret it writes anywhere, is {@code rw-------} (0600) from the
 * moment it exists (created with those permissions, never loosened afterwards).
 *
 * <p>Contract: {@link #secure} checks a data directory at start and narrows whatever is looser (the
 * directory, and the regular files directly in it: the SQLite database with its {@code -wal} and
 * {@code -shm}, the first administrator's password, the agent token, certificates placed there),
 * saying what it changed; subdirectories ajr did not make are left alone. On a file system without
 * POSIX permissions nothing is changed. Symbolic links are never followed. Stateless.
 */
public final class PrivateFiles {

  /** {@code rwx------}. */
  public static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  /** {@code rw-------}. */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Creates the directory (and missing parents) as 0700, unless it exists. */
  public static void createDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (posix(dir.toAbsolutePath().getParent())) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    } else {
      Files.createDirectories(dir);
    }
  }

  /** Creates an empty file as 0600, unless it exists. */
  public static void createFile(Path file) throws IOException {
    try {
      Files.createFile(file, attributes(file));
    } catch (FileAlreadyExistsException e) {
      // kept as it is; secure() narrows it at start
    }
  }

  /**
   * Writes the text to a new file created as 0600, or over an existing one whose permissions are
   * first narrowed to 0600.
   */
  public static void write(Path file, String text) throws IOException {
    createFile(file);
    narrow(file, FILE);
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }

  /**
   * Makes the data directory 0700 and each regular file directly in it 0600 where they are looser
   * (the directory is created when missing).
   *
   * @return one sentence per change, for the log: what was looser and is now private
   */
  public static List<String> secure(Path dataDir) throws IOException {
    createDirectory(dataDir);
    List<String> changes = new ArrayList<>();
    if (!posix(dataDir)) {
      return changes;
    }
    narrowed(dataDir, DIRECTORY, changes);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          narrowed(entry, FILE, changes);
        }
      }
    }
    return changes;
  }

  /** Whether users other than the owner may read the file (false without POSIX permissions). */
  public static boolean readableByOthers(Path file) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return false;
    }
    Set<PosixFilePermission> has = view.readAttributes().permissions();
    return has.contains(PosixFilePermission.GROUP_READ)
        || has.contains(PosixFilePermission.OTHERS_READ);
  }

  private static void narrowed(Path path, Set<PosixFilePermission> wanted, List<String> changes) {
    Set<PosixFilePermission> was;
    try {
      was = narrow(path, wanted);
    } catch (IOException e) {
      changes.add(path + " could not be made private: " + e.getMessage() + "; do it by hand");
      return;
    }
    if (was != null) {
      changes.add(
          path
              + " was open to other users ("
              + PosixFilePermissions.toString(was)
              + "); it is now "
              + PosixFilePermissions.toString(narrowedTo(was, wanted)));
    }
  }

  /**
   * Takes away every permission of the path that {@code allowed} does not grant.
   *
   * @return the permissions it had when some were taken away, else null
   */
  private static Set<PosixFilePermission> narrow(Path path, Set<PosixFilePermission> allowed)
      throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return null;
    }
    Set<PosixFilePermission> has = view.readAttributes().permissions();
    if (allowed.containsAll(has)) {
      return null;
    }
    view.setPermissions(narrowedTo(has, allowed));
    return has;
  }

  private static Set<PosixFilePermission> narrowedTo(
      Set<PosixFilePermission> has, Set<PosixFilePermission> allowed) {
    Set<PosixFilePermission> kept = EnumSet.noneOf(PosixFilePermission.class);
    kept.addAll(has);
    kept.retainAll(allowed);
    return kept;
  }

  private static FileAttribute<?>[] attributes(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    return posix(parent)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
        : new FileAttribute<?>[0];
  }

  private static boolean posix(Path existing) {
    Path p = existing;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p != null && Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
  }
}
