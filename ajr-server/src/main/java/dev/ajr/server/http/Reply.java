package dev.ajr.server.http;

/** An answer to send as JSON (a 204 has no body), or {@link #ANSWERED}. */
record Reply(int status, Object body) {

  /** The handler wrote the whole answer itself (an event stream, a YAML document). */
  static final Reply ANSWERED = new Reply(0, null);
}
