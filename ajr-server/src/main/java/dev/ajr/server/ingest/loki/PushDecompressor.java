package dev.ajr.server.ingest.loki;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyError;
import org.xerial.snappy.SnappyErrorCode;

/**
 * Undoes the compressions of a push body, gzip, deflate (zlib-wrapped or raw) and Snappy's block
 * format, never producing more than {@code maxBodyBytes}. A body that is not what it claims is a
 * {@link LokiFormatException} that says what it looks like instead. Each method tells {@code
 * decoded} of the bytes it decompresses before it keeps them (Snappy's declared length before it
 * allocates, gzip and deflate piece by piece); what {@code decoded} throws stops it. Stateless and
 * thread-safe.
 */
final class PushDecompressor {

  /** How much gzip or deflate output is taken at a time. */
  private static final int PIECE = 64 * 1024;

  private final int maxBodyBytes;

  PushDecompressor(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** A body of Content-Encoding gzip, decompressed. */
  byte[] gunzip(byte[] body, LongConsumer decoded) throws LokiFormatException {
    return inflate(gzip(body), "gzip", decoded);
  }

  /** A body of Content-Encoding deflate, decompressed. */
  byte[] inflate(byte[] body, LongConsumer decoded) throws LokiFormatException {
    return inflate(deflate(body), "deflate", decoded);
  }

  private static InputStream gzip(byte[] body) throws LokiFormatException {
    try {
      return new GZIPInputStream(new ByteArrayInputStream(body));
    } catch (IOException e) {
      throw new LokiFormatException(
          "Content-Encoding is gzip but the body is not gzip data (" + e.getMessage() + ")");
    }
  }

  /** HTTP's deflate is zlib-wrapped; Go's (and so Loki's) is raw: both are accepted. */
  private static InputStream deflate(byte[] body) {
    boolean zlib =
        body.length >= 2
            && (body[0] & 0x0F) == 8
            && (((body[0] & 0xFF) << 8) | (body[1] & 0xFF)) % 31 == 0;
    return new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(!zlib));
  }

  private byte[] inflate(InputStream in, String encoding, LongConsumer decoded)
      throws LokiFormatException {
    try (in) {
      ByteArrayOutputStream plain = new ByteArrayOutputStream();
      byte[] piece = new byte[PIECE];
      for (int n = in.read(piece); n != -1; n = in.read(piece)) {
        if ((long) plain.size() + n > maxBodyBytes) {
          throw tooLarge("the body decompresses to");
        }
        decoded.accept(n);
        plain.write(piece, 0, n);
      }
      return plain.toByteArray();
    } catch (IOException e) {
      // The source is in memory: any failure (ZipException, EOFException) is the data's.
      throw new LokiFormatException(
          "Content-Encoding is "
              + encoding
              + " but the body is not complete "
              + encoding
              + " data ("
              + e.getMessage()
              + ")");
    }
  }

  /**
   * Decompresses a Snappy block, checking the length it declares against the limit before
   * allocating; {@code type} (the media type sent) only words the error.
   */
  byte[] unsnappy(byte[] body, String type, LongConsumer decoded) throws LokiFormatException {
    if (body.length == 0) {
      throw new LokiFormatException(
          "the body is empty; a protobuf push is a Snappy-compressed logproto.PushRequest");
    }
    long declared = declaredLength(body);
    if (declared > maxBodyBytes) {
      throw tooLarge("the body declares that it decompresses to " + declared + " bytes,");
    }
    byte[] plain;
    try {
      int length = Snappy.uncompressedLength(body);
      if (length != declared) {
        throw notSnappy(body, type, "its length header cannot be read");
      }
      decoded.accept(length);
      plain = new byte[length];
      if (Snappy.uncompress(body, 0, body.length, plain, 0) != length) {
        throw notSnappy(body, type, "it decompresses to fewer bytes than it declares");
      }
    } catch (IOException e) {
      throw notSnappy(body, type, e.getMessage());
    } catch (SnappyError e) {
      if (e.errorCode == SnappyErrorCode.FAILED_TO_LOAD_NATIVE_LIBRARY
          || e.errorCode == SnappyErrorCode.UNSUPPORTED_PLATFORM) {
        throw new IllegalStateException(
            "cannot decompress Snappy: snappy-java's native library does not load here ("
                + e.getMessage()
                + ")",
            e);
      }
      throw notSnappy(body, type, e.getMessage());
    }
    return plain;
  }

  /**
   * The decompressed length a Snappy block declares in its header (a varint of up to five bytes),
   * or -1 when the header is malformed.
   */
  private static long declaredLength(byte[] body) {
    long length = 0;
    for (int i = 0; i < Math.min(5, body.length); i++) {
      length |= (long) (body[i] & 0x7F) << (7 * i);
      if (body[i] >= 0) {
        return length;
      }
    }
    return -1;
  }

  private static LokiFormatException notSnappy(byte[] body, String type, String detail) {
    String hint;
    if (startsWith(body, 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y')) {
      hint = "it is in Snappy's framed (stream) format; Loki's push API uses the block format";
    } else if (startsWith(body, 0x1f, 0x8b)) {
      hint = "it looks gzip-compressed: send Content-Encoding: gzip";
    } else if (firstNonSpace(body) == '{') {
      hint = "it looks like JSON: send Content-Type: application/json";
    } else {
      hint =
          "a push of Content-Type "
              + (type.isEmpty() ? "(none)" : type)
              + " must be a Snappy block-compressed protobuf logproto.PushRequest, or send"
              + " Content-Type: application/json";
    }
    return new LokiFormatException(
        "the body is not Snappy-compressed data (" + detail + "); " + hint);
  }

  private static boolean startsWith(byte[] body, int... prefix) {
    if (body.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((body[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int firstNonSpace(byte[] body) {
    for (byte b : body) {
      if (!Character.isWhitespace(b)) {
        return b;
      }
    }
    return -1;
  }

  /** The error of a body over the limit: {@code what} is followed by "more than the limit". */
  LokiFormatException tooLarge(String what) {
    return new LokiFormatException(what + " more than the limit of " + maxBodyBytes + " bytes");
  }
}
