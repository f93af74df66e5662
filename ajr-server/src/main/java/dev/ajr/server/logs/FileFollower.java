package dev.ajr.server.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Follows one file as it grows and hands out complete lines.
 *
 * <p>Contract: each call of {@link #poll} reads at most {@code maxBytes} new bytes. Lines are split
 * on {@code \n} (a trailing {@code \r} is dropped) and decoded as UTF-8, malformed bytes replaced,
 * so binary garbage yields odd text, never an error. A line longer than {@code maxLineBytes} is cut
 * to that length and marked truncated; the rest of it is skipped, so memory stays bounded whatever
 * the file holds. A file that shrinks (truncated) or is replaced by another file (rotated) is read
 * again from its start. A last line without its newline is held until the newline comes, or until
 * {@link #flush} (when the job has ended). Confined to one thread.
 */
public final class FileFollower {

  /** Receives each complete line. */
  @FunctionalInterface
  public interface LineSink {
    void line(String text, long lineNumber, Instant writtenAt, boolean truncated);
  }

  private final Path path;
  private final int maxLineBytes;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private long position;
  private long lineNumber;
  private boolean overflowing;
  private Object fileKey;
  private Instant lastModified;
  private final CRC32 head = new CRC32();
  private static final int HEAD_BYTES = 1024 * 1024;

  public FileFollower(Path path, int maxLineBytes) {
    this.path = path;
    this.maxLineBytes = maxLineBytes;
  }

  public Path path() {
    return path;
  }

  /** Bytes consumed so far from the current file. */
  public long position() {
    return position;
  }

  /**
   * Reads what was appended since the last call, up to {@code maxBytes}.
   *
   * @return the number of bytes read; 0 when nothing new (or the file does not exist yet)
   */
  public int poll(LineSink sink, int maxBytes) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return 0;
    }
    Object key = attributes.fileKey();
    if (fileKey != null && key != null && !Objects.equals(key, fileKey)) {
      restart(); // rotated: a new file under the same name
    }
    fileKey = key;
    if (attributes.size() < position) {
      restart(); // truncated
    }
    lastModified = attributes.lastModifiedTime().toInstant();
    if (attributes.size() == position) {
      return 0;
    }
    int total = 0;
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.position(position);
      while (total < maxBytes) {
        buffer.clear();
        buffer.limit(Math.min(buffer.capacity(), maxBytes - total));
        int n = channel.read(buffer);
        if (n <= 0) {
          break;
        }
        long headRoom = HEAD_BYTES - position;
        if (headRoom > 0) {
          head.update(buffer.array(), 0, (int) Math.min(n, headRoom));
        }
        total += n;
        position += n;
        consume(buffer.array(), n, sink);
      }
    } catch (NoSuchFileException e) {
      return total;
    }
    return total;
  }

  /**
   * Checks whether the file was truncated and written anew (as Slurm does with a job's standard
   * output when the job is requeued) even though it is no shorter than what was read: the first
   * bytes read so far are compared with what the file holds now. On a change the file is read again
   * from its start. Call it when a new attempt starts.
   *
   * @return true when the file was found rewritten
   */
  public boolean checkRewritten() throws IOException {
    if (position == 0) {
      return false;
    }
    int length = (int) Math.min(position, HEAD_BYTES);
    CRC32 now = new CRC32();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer chunk = ByteBuffer.allocate(Math.min(length, buffer.capacity()));
      int left = length;
      while (left > 0) {
        chunk.clear();
        chunk.limit(Math.min(left, chunk.capacity()));
        int n = channel.read(chunk);
        if (n <= 0) {
          break;
        }
        now.update(chunk.array(), 0, n);
        left -= n;
      }
      if (left > 0 || now.getValue() != head.getValue()) {
        restart();
        return true;
      }
    } catch (NoSuchFileException e) {
      restart();
      return true;
    }
    return false;
  }

  /** Hands out a last line that never got its newline. */
  public void flush(LineSink sink) {
    if (partial.size() > 0 || overflowing) {
      emit(sink);
    }
  }

  private void consume(byte[] bytes, int length, LineSink sink) {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '\n') {
        append(bytes, start, i - start);
        emit(sink);
        start = i + 1;
      }
    }
    append(bytes, start, length - start);
  }

  private void append(byte[] bytes, int offset, int length) {
    int room = maxLineBytes - partial.size();
    if (length > room) {
      overflowing = true;
    }
    int keep = Math.max(0, Math.min(length, room));
    partial.write(bytes, offset, keep);
  }

  private void emit(LineSink sink) {
    byte[] bytes = partial.toByteArray();
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    lineNumber++;
    sink.line(
        new String(bytes, 0, length, StandardCharsets.UTF_8),
        lineNumber,
        lastModified,
        overflowing);
    partial.reset();
    overflowing = false;
  }

  private void restart() {
    head.reset();
    position = 0;
    lineNumber = 0;
    partial.reset();
    overflowing = false;
  }
}
