package dev.ajr.server.ingest;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Lets each entry of a shipped stream through once, however often it is sent.
 *
 * <p>Contract: senders ship a stream in order and send again what was not acknowledged (at least
 * once). {@link #admit} hands every entry past the stream's recorded position to the handler, in
 * order, then records the new position before it returns, so an acknowledgement sent after it
 * returns covers only handled entries. Two batches of one stream are admitted one after the other
 * (a retry racing the slow original is deduplicated); batches of different streams run in parallel.
 * If ajr stops between handling entries and recording the position, the resent entries are handled
 * again; the store's unique keys (one anomaly per line) absorb that. Thread-safe.
 */
public final class StreamGate {

  /** What a batch came to. */
  public record Admitted(int accepted, int duplicates) {

    public Admitted plus(Admitted other) {
      return new Admitted(accepted + other.accepted, duplicates + other.duplicates);
    }
  }

  private static final int MAX_STREAM_CHARS = 512;

  private final IngestPositions positions;
  private final Object[] stripes = new Object[256];

  public StreamGate(IngestPositions positions) {
    this.positions = positions;
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
  }

  /**
   * Hands the entries that are new to {@code handler}.
   *
   * @param sender the node or tenant that ships the stream
   * @param stream the stream's name within the sender (a path, "kernel", a label set)
   * @param generation the stream's generation for all these entries
   * @param positionOf an entry's position, growing along the list
   */
  public <T> Admitted admit(
      String sender,
      String stream,
      String generation,
      List<T> entries,
      ToLongFunction<T> positionOf,
      Consumer<T> handler) {
    String key = storedName(stream);
    Object lock = stripes[Math.floorMod(31 * sender.hashCode() + key.hashCode(), stripes.length)];
    synchronized (lock) {
      Optional<StreamPosition> saved = positions.load(sender, key);
      StreamPosition mark = saved.orElse(null);
      int accepted = 0;
      for (T entry : entries) {
        StreamPosition at = new StreamPosition(generation, positionOf.applyAsLong(entry));
        if (mark != null && !mark.isBefore(at)) {
          continue;
        }
        handler.accept(entry);
        mark = at;
        accepted++;
      }
      if (mark != null && !mark.equals(saved.orElse(null))) {
        positions.save(sender, key, mark);
      }
      return new Admitted(accepted, entries.size() - accepted);
    }
  }

  /**
   * A stream name that fits the store: long names keep their start and end and gain a hash, so two
   * long names stay apart.
   */
  static String storedName(String stream) {
    if (stream.length() <= MAX_STREAM_CHARS) {
      return stream;
    }
    String hash = Integer.toHexString(stream.hashCode()) + Integer.toHexString(stream.length());
    int keep = (MAX_STREAM_CHARS - hash.length() - 2) / 2;
    return stream.substring(0, keep) + "#" + hash + "#" + stream.substring(stream.length() - keep);
  }
}
