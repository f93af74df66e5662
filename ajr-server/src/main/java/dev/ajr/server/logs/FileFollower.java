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
 * <p>Contract: each call of {@link #poll} reads at most {@code maxBytes} new bytes, and stops early
 * when its sink is {@link LineSink#full full}. Lines are split on {@code \n} (a trailing {@code \r}
 * is dropped) and decoded as UTF-8, malformed bytes replaced, so binary garbage yields odd text,
 * never an error. A line longer than {@code maxLineBytes} is cut to that length and marked
 * truncated; the rest of it is skipped, so memory stays bounded whatever the file holds. A file
 * that shrinks (truncated) or is replaced by another file (rotated) is read again from its start. A
 * last line without its newline is held until the newline comes, or until {@link #flush} (when the
 * job has ended). Confined to one thread.
 */
public final class FileFollower {

  /** Receives each complete line. */
  @FunctionalInterface
  public interface LineSink {
    void line(String text, long lineNumber, Instant writtenAt, boolean truncated);

    /**
     * Whether the line held in {@code bytes} (UTF-8, without its newline) is wanted as text. A line
     * that is not is handed to {@link #passed} instead of being decoded, which saves the decoding
     * for a reader that can tell most lines apart by their bytes. Every line by default.
     */
    default boolean wants(byte[] bytes, int offset, int length) {
      return true;
    }

    /** A line {@link #wants} did not want, as bytes valid only during the call. */
    default void passed(byte[] bytes, int offset, int length, long lineNumber) {}

    /**
     * Whether the sink takes no more lines for now: {@link #poll} then stops after the buffer it is
     * splitting (at most 64 KiB), and the rest waits in the file for the next poll. Never by
     * default.
     */
    default boolean full() {
      return false;
    }
  }

  private final Path path;
  private final int maxLineBytes;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private long position;
  private long sizeSeen;
  private long lineStart;
  private long lineNumber;
  private boolean overflowing;
  private Object fileKey;
  private Instant lastModified;
  private CRC32 head = new CRC32();
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

  /** Bytes the file held beyond what was read, as of the last {@link #poll}. */
  public long backlog() {
    return Math.max(0, sizeSeen - position);
  }

  /**
   * Where reading would resume after a restart of ajr: the start of the line not yet handed out,
   * with a checksum of the file's first bytes so that a file rewritten meanwhile is recognised.
   *
   * @param resumeAt the byte offset of the first line not yet handed out
   * @param lineNumber the number of lines handed out so far
   * @param headLength how many of the file's first bytes the checksum covers
   * @param headCrc the CRC-32 of those bytes
   */
  public record Checkpoint(long resumeAt, long lineNumber, long headLength, long headCrc) {}

  public Checkpoint checkpoint() {
    return new Checkpoint(lineStart, lineNumber, Math.min(position, HEAD_BYTES), head.getValue());
  }

  /**
   * Continues from a checkpoint taken by an earlier follower of the same path. When the file no
   * longer starts with the bytes the checkpoint saw, it is read from its start instead.
   *
   * @return true when reading resumes at the checkpoint
   */
  public boolean restore(Checkpoint checkpoint) throws IOException {
    restart();
    CRC32 seen = checksumOfFirst(checkpoint.headLength());
    if (seen == null || seen.getValue() != checkpoint.headCrc()) {
      return false;
    }
    CRC32 upToResume = checksumOfFirst(Math.min(checkpoint.resumeAt(), HEAD_BYTES));
    if (upToResume == null) {
      return false;
    }
    head = upToResume;
    position = checkpoint.resumeAt();
    lineStart = position;
    lineNumber = checkpoint.lineNumber();
    return true;
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
    sizeSeen = attributes.size();
    if (attributes.size() == position) {
      return 0;
    }
    int total = 0;
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.position(position);
      while (total < maxBytes) {
        buffer.clear();
        buffer.limit(Math.min(buffer.capacity(), maxBytes - total));
        int wanted = buffer.remaining();
        int n = channel.read(buffer);
        if (n <= 0) {
          break;
        }
        long headRoom = HEAD_BYTES - position;
        if (headRoom > 0) {
          head.update(buffer.array(), 0, (int) Math.min(n, headRoom));
        }
        long chunkStart = position;
        total += n;
        position += n;
        consume(buffer.array(), n, chunkStart, sink);
        if (n < wanted) {
          break; // the end of the file for now: no need to ask again
        }
        if (sink.full()) {
          break;
        }
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
    CRC32 now = checksumOfFirst(Math.min(position, HEAD_BYTES));
    if (now == null || now.getValue() != head.getValue()) {
      restart();
      return true;
    }
    return false;
  }

  /** The CRC-32 of the file's first {@code length} bytes, or null when it has fewer or is gone. */
  private CRC32 checksumOfFirst(long length) throws IOException {
    CRC32 crc = new CRC32();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer chunk = ByteBuffer.allocate(buffer.capacity());
      long left = length;
      while (left > 0) {
        chunk.clear();
        chunk.limit((int) Math.min(left, chunk.capacity()));
        int n = channel.read(chunk);
        if (n <= 0) {
          return null;
        }
        crc.update(chunk.array(), 0, n);
        left -= n;
      }
      return crc;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Hands out a last line that never got its newline. */
  public void flush(LineSink sink) {
    if (partial.size() > 0 || overflowing) {
      emit(sink);
    }
  }

  private void consume(byte[] bytes, int length, long chunkStart, LineSink sink) {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '\n') {
        lineStart = chunkStart + i + 1;
        if (partial.size() == 0 && !overflowing && i - start <= maxLineBytes) {
          // The whole line is in the chunk: decode it from there, without copying it first.
          emitDirect(sink, bytes, start, i - start);
        } else {
          append(bytes, start, i - start);
          emit(sink);
        }
        start = i + 1;
      }
    }
    append(bytes, start, length - start);
  }

  private void emitDirect(LineSink sink, byte[] bytes, int offset, int length) {
    if (length > 0 && bytes[offset + length - 1] == '\r') {
      length--;
    }
    lineNumber++;
    if (!sink.wants(bytes, offset, length)) {
      sink.passed(bytes, offset, length, lineNumber);
      return;
    }
    sink.line(
        new String(bytes, offset, length, StandardCharsets.UTF_8), lineNumber, lastModified, false);
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
    lineStart = 0;
    lineNumber = 0;
    partial.reset();
    overflowing = false;
  }
}
