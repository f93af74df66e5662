package dev.ajr.server.ingest;

/**
 * How far a shipped stream has been taken in.
 *
 * @param generation which incarnation of the stream: a file's rewrite count, a boot id; a position
 *     only grows within one generation
 * @param position the last line number, sequence number or timestamp taken
 */
public record StreamPosition(String generation, long position) {

  /**
   * Whether an entry at {@code next} is new: a later position of the same generation, or any
   * position of another generation (a stream only moves on to a new generation, never back, since a
   * sender ships in order and resends only what was not acknowledged).
   */
  public boolean isBefore(StreamPosition next) {
    return !generation.equals(next.generation) || position < next.position;
  }
}
