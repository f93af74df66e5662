package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.oneOf;
import static dev.ajr.server.config.option.OptionType.structured;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import dev.ajr.server.logging.LogFormat;
import dev.ajr.server.logging.LogSetup;
import dev.ajr.server.logging.LoggingSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code logging.*}: the server's own log (levels and format). */
public final class LoggingOptions {

  private static final Map<String, String> LEVEL_WORDS = levelWords();

  public static final Option<String> LEVEL =
      Option.key("logging.level", oneOf(LEVEL_WORDS, LoggingSettings.LEVELS))
          .defaultValue("info")
          .env(LogSetup.LEVEL_ENV)
          .frequent()
          .withDescription(
              "how much the server logs: off, error, warn, info, debug or trace (the environment"
                  + " variable AJR_LOG_LEVEL sets it too)");

  public static final Option<LogFormat> FORMAT =
      Option.key(
              "logging.format",
              oneOf(
                  Map.of("text", LogFormat.TEXT, "json", LogFormat.JSON), List.of("text", "json")))
          .defaultValue(LogFormat.TEXT)
          .env(LogSetup.FORMAT_ENV)
          .frequent()
          .withDescription(
              "text: one line per entry that starts with the time of day (ISO-8601 with the zone);"
                  + " json: one JSON object per line (time, level, logger, thread, message,"
                  + " exception) for log shippers (AJR_LOG_FORMAT sets it too)");

  public static final Option<JsonNode> LEVELS =
      Option.key("logging.levels", structured("mapping of logger or package to level (YAML only)"))
          .withDescription(
              "levels per logger or package, beating logging.level, like {dev.ajr.server.logs:"
                  + " debug, org.flywaydb: info}; Flyway and HikariCP log at warn unless named"
                  + " here; in the YAML file only");

  static final List<Option<?>> OPTIONS = List.of(LEVEL, FORMAT, LEVELS);

  private LoggingOptions() {}

  static LoggingSettings from(OptionValues v) {
    return new LoggingSettings(v.get(LEVEL), v.get(FORMAT), levels(v));
  }

  private static Map<String, String> levels(OptionValues v) {
    Optional<JsonNode> node = v.find(LEVELS);
    Map<String, String> levels = new LinkedHashMap<>();
    if (node.isEmpty() || node.get().isNull()) {
      return levels;
    }
    if (!node.get().isObject()) {
      throw v.invalid(
          "logging.levels must be a mapping of logger or package names to levels, like"
              + " {dev.ajr.server.logs: debug}");
    }
    for (Map.Entry<String, JsonNode> e : node.get().properties()) {
      String level = LEVEL_WORDS.get(e.getValue().asText("").strip().toLowerCase(Locale.ROOT));
      if (level == null || !e.getValue().isValueNode()) {
        throw v.invalid(
            "logging.levels: the level of "
                + e.getKey()
                + " must be one of "
                + String.join(", ", LoggingSettings.LEVELS)
                + ", not "
                + e.getValue());
      }
      levels.put(e.getKey(), level);
    }
    return levels;
  }

  private static Map<String, String> levelWords() {
    Map<String, String> words = new LinkedHashMap<>();
    for (String level : LoggingSettings.LEVELS) {
      words.put(level, level);
      words.put(level.toUpperCase(Locale.ROOT), level);
    }
    words.put("warning", "warn");
    words.put("WARNING", "warn");
    return Map.copyOf(words);
  }
}
