package dev.ajr.server.logging;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How ajr logs: the level of everything, the format, and levels per logger or package.
 *
 * @param level one of {@link #LEVELS}
 * @param levels logger or package names to one of {@link #LEVELS}; they beat {@code level}
 */
public record LoggingSettings(String level, LogFormat format, Map<String, String> levels) {

  /** The levels, from the fewest entries to the most. */
  public static final List<String> LEVELS =
      List.of("off", "error", "warn", "info", "debug", "trace");

  /**
   * Libraries that say much at info: they log at warn unless {@code levels} names them (Flyway
   * lists every migration, HikariCP every pool start).
   */
  static final Map<String, String> QUIET_LIBRARIES =
      Map.of("org.flywaydb", "warn", "com.zaxxer.hikari", "warn");

  /** info, as text, nothing per package. */
  public static final LoggingSettings DEFAULTS =
      new LoggingSettings("info", LogFormat.TEXT, Map.of());

  public LoggingSettings {
    Objects.requireNonNull(format, "format");
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("no such level: " + level);
    }
    levels = Map.copyOf(levels);
    for (String l : levels.values()) {
      if (!LEVELS.contains(l)) {
        throw new IllegalArgumentException("no such level: " + l);
      }
    }
  }
}
