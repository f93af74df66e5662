package dev.ajr.core.store;

/** The store could not read or write. */
public class StoreException extends RuntimeException {

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
