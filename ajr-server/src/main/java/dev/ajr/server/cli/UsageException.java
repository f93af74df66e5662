package dev.ajr.server.cli;

/** The command line is wrong; the message says how to write it. */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }
}
