package dev.ajr.server.ingest.loki;

/**
 * A body that cannot be read as a Loki payload (a push body or a query answer). The message says
 * what is wrong in words meant for the sender, so it can be returned as the text of a 400 answer.
 */
public final class LokiFormatException extends Exception {

  public LokiFormatException(String message) {
    super(message);
  }

  public LokiFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
