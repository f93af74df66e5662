package dev.ajr.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ajr.core.json.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One log entry as one line of JSON: {@code time} (ISO-8601 with the zone's offset), {@code level},
 * {@code logger}, {@code thread}, {@code message} and, when an exception was logged, {@code
 * exception} (its stack trace). Line breaks inside the message are escaped, so a shipper can split
 * on newlines. Thread-safe.
 */
final class JsonLineLayout extends LayoutBase<ILoggingEvent> {

  /** The time stamp of both formats: the time of day in milliseconds, with the zone's offset. */
  static final String TIME_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern(TIME_PATTERN);

  private final ZoneId zone;

  JsonLineLayout(ZoneId zone) {
    this.zone = zone;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("time", time(event.getInstant(), zone));
    entry.put("level", event.getLevel().toString());
    entry.put("logger", event.getLoggerName());
    entry.put("thread", event.getThreadName());
    entry.put("message", event.getFormattedMessage());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      entry.put("exception", ThrowableProxyUtil.asString(thrown));
    }
    try {
      return Json.MAPPER.writeValueAsString(entry) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      return "{\"message\":\"a log entry could not be written as JSON\"}" + System.lineSeparator();
    }
  }

  /** The time as {@code 2026-03-01T10:00:00.123+01:00} (UTC: {@code ...00.123Z}). */
  static String time(Instant at, ZoneId zone) {
    return TIME.format(at.atZone(zone));
  }
}
