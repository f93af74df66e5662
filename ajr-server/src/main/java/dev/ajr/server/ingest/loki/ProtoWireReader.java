package dev.ajr.server.ingest.loki;

/**
 * Reads the protobuf wire format from a slice of a byte array, without generated classes.
 *
 * <p>Contract: every read is bounds-checked against the slice; a read past its end, a varint of
 * more than ten bytes, a length that does not fit, an unknown wire type or field number 0 throws a
 * {@link LokiFormatException} naming the message being read and the byte offset in the whole body.
 * Fields the caller does not want are skipped with {@link #skipField}, whatever their wire type
 * (groups included, to a bounded depth). Nothing is copied: length-delimited fields are handed out
 * as offsets into the array.
 */
final class ProtoWireReader {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int START_GROUP = 3;
  static final int END_GROUP = 4;
  static final int FIXED32 = 5;

  private static final int MAX_GROUP_DEPTH = 64;

  private final byte[] bytes;
  private final int limit;
  private final String message;
  private int position;

  /**
   * @param message the name of the message being read, for error messages
   */
  ProtoWireReader(byte[] bytes, int offset, int length, String message) {
    if (offset < 0 || length < 0 || offset > bytes.length - length) {
      throw new IllegalArgumentException("slice outside the array");
    }
    this.bytes = bytes;
    this.position = offset;
    this.limit = offset + length;
    this.message = message;
  }

  byte[] bytes() {
    return bytes;
  }

  boolean atEnd() {
    return position >= limit;
  }

  /** Reads a field's tag: field number in the upper bits, wire type in the lowest three. */
  int readTag() throws LokiFormatException {
    int at = position;
    long tag = readVarint();
    if (tag > 0xFFFF_FFFFL || tag < 0) {
      throw malformed(at, "field tag " + Long.toUnsignedString(tag) + " is out of range");
    }
    int wireType = (int) (tag & 7);
    if ((tag >>> 3) == 0) {
      throw malformed(at, "field number 0 is not allowed");
    }
    if (wireType > FIXED32) {
      throw malformed(at, "unknown wire type " + wireType);
    }
    return (int) tag;
  }

  static int fieldNumber(int tag) {
    return tag >>> 3;
  }

  static int wireType(int tag) {
    return tag & 7;
  }

  long readVarint() throws LokiFormatException {
    int at = position;
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= limit) {
        throw malformed(at, "a varint runs past the end");
      }
      byte b = bytes[position++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw malformed(at, "a varint is longer than ten bytes");
  }

  /**
   * Reads the length of a length-delimited field and checks that that many bytes follow.
   *
   * @return the length; the position is then at the field's first byte
   */
  int readLength() throws LokiFormatException {
    int at = position;
    long length = readVarint();
    if (length < 0 || length > limit - position) {
      throw malformed(
          at,
          "a field claims "
              + Long.toUnsignedString(length)
              + " bytes but only "
              + (limit - position)
              + " remain");
    }
    return (int) length;
  }

  /** Moves past {@code length} bytes (already checked by {@link #readLength}). */
  int advance(int length) {
    int start = position;
    position += length;
    return start;
  }

  /** Reads an embedded message: a length-delimited field, as a reader of its own. */
  ProtoWireReader readMessage(String name) throws LokiFormatException {
    int length = readLength();
    return new ProtoWireReader(bytes, advance(length), length, name);
  }

  /** Skips the value of a field whose tag was just read. */
  void skipField(int tag) throws LokiFormatException {
    skipField(tag, 0);
  }

  private void skipField(int tag, int depth) throws LokiFormatException {
    switch (wireType(tag)) {
      case VARINT -> readVarint();
      case FIXED64 -> skipFixed(8);
      case FIXED32 -> skipFixed(4);
      case LENGTH_DELIMITED -> advance(readLength());
      case START_GROUP -> skipGroup(fieldNumber(tag), depth + 1);
      case END_GROUP -> throw malformed(position, "a group ends that never started");
      default -> throw malformed(position, "unknown wire type " + wireType(tag));
    }
  }

  private void skipFixed(int size) throws LokiFormatException {
    if (limit - position < size) {
      throw malformed(position, "a " + size + "-byte field runs past the end");
    }
    position += size;
  }

  private void skipGroup(int fieldNumber, int depth) throws LokiFormatException {
    if (depth > MAX_GROUP_DEPTH) {
      throw malformed(position, "groups are nested deeper than " + MAX_GROUP_DEPTH);
    }
    while (true) {
      if (atEnd()) {
        throw malformed(position, "group " + fieldNumber + " is never closed");
      }
      int tag = readTag();
      if (wireType(tag) == END_GROUP) {
        if (fieldNumber(tag) != fieldNumber) {
          throw malformed(position, "group " + fieldNumber + " is closed by another field");
        }
        return;
      }
      skipField(tag, depth);
    }
  }

  /** The error for a field of the wrong wire type. */
  LokiFormatException wrongType(int tag, String field, String expected) {
    return malformed(
        position,
        "field "
            + fieldNumber(tag)
            + " ("
            + field
            + ") has wire type "
            + wireType(tag)
            + ", expected "
            + expected);
  }

  LokiFormatException malformed(int at, String problem) {
    return new LokiFormatException(
        "the protobuf body is malformed: in " + message + " at byte " + at + ", " + problem);
  }
}
