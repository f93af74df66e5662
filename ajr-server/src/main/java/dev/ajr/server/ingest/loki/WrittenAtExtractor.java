package dev.ajr.server.ingest.loki;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Objects;

/**
 * Finds when a line was written from its own text, so the delay between writing and ingestion can
 * be reported.
 *
 * <p>Contract: the pattern's first group must capture a timestamp such as {@code 2026-03-01
 * 10:00:00}, {@code 2026-03-01T10:00:00.123456Z} or {@code 2026-03-01 10:00:00,123+0100} (date,
 * {@code T} or space, time, optional fraction with {@code .} or {@code ,}, optional offset {@code
 * Z}, {@code +hh:mm} or {@code +hhmm}). A timestamp without an offset is read in the configured
 * zone. A line without a match, or whose match is not such a timestamp, gives null. Thread-safe.
 */
public final class WrittenAtExtractor {

  private static final DateTimeFormatter FORMAT =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendPattern("[ ]['T']")
          .appendPattern("HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .toFormatter();

  private final Pattern pattern;
  private final ZoneId zone;

  /**
   * @param pattern a regular expression whose first group captures the timestamp
   * @param zone the zone of timestamps written without an offset
   */
  public WrittenAtExtractor(Pattern pattern, ZoneId zone) {
    if (pattern.matcher("").groupCount() < 1) {
      throw new IllegalArgumentException(
          "the written-at pattern " + pattern + " needs a group that captures the timestamp");
    }
    this.pattern = pattern;
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /** When the line says it was written, or null when it does not say. */
  public Instant writtenAt(String line) {
    Matcher m = pattern.matcher(line);
    if (!m.find() || m.group(1) == null) {
      return null;
    }
    try {
      TemporalAccessor parsed =
          FORMAT.parseBest(
              m.group(1).trim().replace(',', '.'), OffsetDateTime::from, LocalDateTime::from);
      return parsed instanceof OffsetDateTime withOffset
          ? withOffset.toInstant()
          : ((LocalDateTime) parsed).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
