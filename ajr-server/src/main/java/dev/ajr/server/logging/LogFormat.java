package dev.ajr.server.logging;

/** How the server's log is written. */
public enum LogFormat {
  /** One line per entry: time of day (ISO-8601 with the zone), level, thread, logger, message. */
  TEXT,
  /** One JSON object per line: time, level, logger, thread, message, exception. */
  JSON
}
