package dev.ajr.slurm.rest;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The JSON Web Token ajr shows slurmrestd ({@code X-SLURM-USER-TOKEN}), as {@code scontrol token}
 * prints it: either read from a file, which is read again when slurmrestd refuses the token (so a
 * token renewed into the file by cron is taken up without a restart), or fixed (Slurm's {@code
 * SLURM_JWT} environment variable). The value is never part of a message: {@link #toString} and
 * {@link #source} say where it comes from. Thread-safe.
 */
public final class SlurmToken {

  /** The file holds no token, or cannot be read; the message names the file, never its content. */
  public static final class Unreadable extends IOException {
    Unreadable(String message) {
      super(message);
    }
  }

  private final Path file;
  private final String source;
  private volatile String value;

  private SlurmToken(Path file, String source, String value) {
    this.file = file;
    this.source = source;
    this.value = value;
  }

  /**
   * The token in {@code file}, read now.
   *
   * @throws Unreadable when the file cannot be read or is empty
   */
  public static SlurmToken fromFile(Path file) throws Unreadable {
    return new SlurmToken(file, "the token file " + file, read(file));
  }

  /**
   * A token given once, like the value of {@code SLURM_JWT}.
   *
   * @param source where it comes from, for messages, like {@code the environment variable
   *     SLURM_JWT}
   */
  public static SlurmToken fixed(String value, String source) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(source + " holds no token");
    }
    return new SlurmToken(null, source, stripped(value));
  }

  /** The token as last read. */
  public String value() {
    return value;
  }

  /** Where the token comes from, for messages: {@code the token file /etc/ajr/slurm.jwt}. */
  public String source() {
    return source;
  }

  /**
   * Reads the file again.
   *
   * @return true when it now holds another token than before; false for a fixed token or the same
   *     token
   * @throws Unreadable when the file cannot be read any more or is empty
   */
  public boolean reload() throws Unreadable {
    if (file == null) {
      return false;
    }
    synchronized (this) {
      String now = read(file);
      boolean changed = !now.equals(value);
      value = now;
      return changed;
    }
  }

  private static String read(Path file) throws Unreadable {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new Unreadable("the token file " + file + " cannot be read (no such file)");
    } catch (AccessDeniedException e) {
      throw new Unreadable("the token file " + file + " cannot be read (permission denied)");
    } catch (IOException e) {
      throw new Unreadable(
          "the token file " + file + " cannot be read (" + Objects.toString(e.getMessage()) + ")");
    }
    if (text.isBlank()) {
      throw new Unreadable("the token file " + file + " is empty");
    }
    return stripped(text);
  }

  /**
   * The token itself: {@code scontrol token} prints {@code SLURM_JWT=<token>}, and a file may hold
   * that line as it is.
   */
  private static String stripped(String text) {
    String token = text.strip();
    return token.startsWith("SLURM_JWT=") ? token.substring("SLURM_JWT=".length()).strip() : token;
  }

  @Override
  public String toString() {
    return source;
  }
}
