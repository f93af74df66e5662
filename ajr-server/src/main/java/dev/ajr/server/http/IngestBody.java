package dev.ajr.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.ingest.IngestAdmission;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the body of a log-sending request within its {@link IngestAdmission.Request}, so that a
 * request over a bound is refused before its body is kept: a body of declared length
 * (Content-Length) is counted whole before a byte of it is read, any other piece by piece as it
 * arrives, each piece counted before it is kept.
 *
 * <p>Contract: a refused request is an {@link ApiException}, 429 with {@code Retry-After} (whole
 * seconds) in the answer, or 413 when it can never pass; either way the rest of its body is read
 * and thrown away first (up to {@link #MAX_BODY_BYTES}), so that the sender, which may still be
 * sending, reads the answer on an intact connection (a server that closes a connection with unread
 * bytes resets it, and the answer may be lost).
 */
final class IngestBody {

  /** The largest body taken, compressed or not. */
  static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

  private static final int PIECE = 64 * 1024;

  private IngestBody() {}

  /** The whole body, counted in {@code request}. */
  static byte[] read(HttpExchange ex, IngestAdmission.Request request) throws IOException {
    InputStream in = ex.getRequestBody();
    long declared = declaredLength(ex);
    if (declared > MAX_BODY_BYTES) {
      discard(in);
      throw tooLarge();
    }
    try {
      if (declared >= 0) {
        request.received(declared);
        byte[] body = in.readNBytes((int) declared);
        if (body.length < declared) {
          throw new IOException(
              "the body ended after " + body.length + " of its " + declared + " bytes");
        }
        return body;
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] piece = new byte[PIECE];
      for (int n = in.readNBytes(piece, 0, PIECE); n > 0; n = in.readNBytes(piece, 0, PIECE)) {
        if ((long) body.size() + n > MAX_BODY_BYTES) {
          discard(in);
          throw tooLarge();
        }
        request.received(n);
        body.write(piece, 0, n);
      }
      return body.toByteArray();
    } catch (IngestAdmission.Refused refused) {
      discard(in);
      throw refusal(ex, refused);
    }
  }

  /**
   * The answer to a refusal: 429 with {@code Retry-After} set in the exchange's answer, or 413 for
   * a request that can never pass.
   */
  static ApiException refusal(HttpExchange ex, IngestAdmission.Refused refused) {
    if (refused.tooLarge()) {
      return new ApiException(413, "too_large", refused.getMessage());
    }
    ex.getResponseHeaders().set("Retry-After", Long.toString(refused.retryAfterSeconds()));
    return new ApiException(429, "too_many_requests", refused.getMessage());
  }

  private static ApiException tooLarge() {
    return new ApiException(
        413, "too_large", "the body is larger than " + MAX_BODY_BYTES + " bytes; send less");
  }

  /** The Content-Length of a body not sent in chunks, or -1. */
  private static long declaredLength(HttpExchange ex) {
    String chunked = ex.getRequestHeaders().getFirst("Transfer-Encoding");
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (chunked != null || length == null) {
      return -1;
    }
    try {
      return Math.max(-1, Long.parseLong(length.strip()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Reads and forgets what is left of the body, up to {@link #MAX_BODY_BYTES}. */
  private static void discard(InputStream in) throws IOException {
    byte[] piece = new byte[PIECE];
    long left = MAX_BODY_BYTES;
    int n;
    while (left > 0 && (n = in.read(piece, 0, (int) Math.min(PIECE, left))) != -1) {
      left -= n;
    }
  }
}
