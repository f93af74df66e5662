package dev.ajr.server.agent;

import dev.ajr.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far the agent's streams were acknowledged by the server, kept in one JSON file in the state
 * directory and replaced atomically (written to a temporary file, forced to disk, renamed), so a
 * crash leaves either the old or the new state, never a torn one.
 *
 * <p>Contract: only what the server acknowledged is recorded; after a restart each stream resumes
 * there, so lines not yet acknowledged are sent again (the server recognises the ones it has).
 */
public final class AgentState {

  /**
   * One followed file.
   *
   * @param rewrites how often the file was found truncated, rotated or rewritten (its generation)
   */
  public record FileStream(
      String path,
      String kind,
      long jobId,
      int attempt,
      boolean nodeLocal,
      long rewrites,
      long resumeAt,
      long lineNumber,
      long headLength,
      long headCrc) {}

  /** The kernel ring buffer: its boot and the last sequence number acknowledged. */
  public record Kmsg(String bootId, long sequence) {}

  /** What the file holds. */
  public record Saved(Map<String, FileStream> files, Kmsg kmsg) {

    public Saved {
      files = files == null ? Map.of() : Map.copyOf(files);
    }
  }

  private final Path file;

  public AgentState(Path stateDir, String node) {
    this.file = stateDir.resolve("agent-" + node + ".json");
  }

  public Path file() {
    return file;
  }

  /** The saved state, or an empty one on first start. */
  public Saved load() throws IOException {
    if (!Files.exists(file)) {
      return new Saved(Map.of(), null);
    }
    try {
      return Json.lenient(Saved.class).readValue(file.toFile());
    } catch (IOException e) {
      throw new IOException(
          "the agent state "
              + file
              + " cannot be read ("
              + e.getMessage()
              + "); move it away to start over (lines may then be sent again)",
          e);
    }
  }

  public void save(Map<String, FileStream> files, Kmsg kmsg) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] bytes = Json.MAPPER.writeValueAsBytes(new Saved(new LinkedHashMap<>(files), kmsg));
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(ByteBuffer.wrap(bytes));
      out.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
