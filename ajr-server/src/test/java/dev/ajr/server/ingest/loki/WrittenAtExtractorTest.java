package dev.ajr.server.ingest.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WrittenAtExtractorTest {

  private static final Pattern AT_START =
      Pattern.compile(
          "^(\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?)");

  private final WrittenAtExtractor utc = new WrittenAtExtractor(AT_START, ZoneOffset.UTC);

  @Test
  void readsTheCommonTimestampShapes() {
    assertThat(utc.writtenAt("2026-03-01 10:00:00 step 1"))
        .isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(utc.writtenAt("2026-03-01T10:00:00.123456789 step 1"))
        .isEqualTo(Instant.parse("2026-03-01T10:00:00.123456789Z"));
    assertThat(utc.writtenAt("2026-03-01 10:00:00,250 - INFO - python logging"))
        .isEqualTo(Instant.parse("2026-03-01T10:00:00.250Z"));
    assertThat(utc.writtenAt("2026-03-01T10:00:00Z zulu"))
        .isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(utc.writtenAt("2026-03-01T11:00:00+01:00 colon offset"))
        .isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(utc.writtenAt("2026-03-01 05:00:00-0500 compact offset"))
        .isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
  }

  @Test
  void readsTimestampsWithoutAnOffsetInTheConfiguredZone() {
    WrittenAtExtractor berlin = new WrittenAtExtractor(AT_START, ZoneId.of("Europe/Berlin"));

    assertThat(berlin.writtenAt("2026-03-01 11:00:00 winter time"))
        .isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(berlin.writtenAt("2026-07-01 12:00:00 summer time"))
        .isEqualTo(Instant.parse("2026-07-01T10:00:00Z"));
    assertThat(berlin.writtenAt("2026-07-01T12:00:00Z an offset wins"))
        .isEqualTo(Instant.parse("2026-07-01T12:00:00Z"));
  }

  @Test
  void givesNullWhenTheLineDoesNotSay() {
    assertThat(utc.writtenAt("no timestamp")).isNull();
    assertThat(utc.writtenAt("2026-13-45 99:00:00 not a date")).isNull();
  }

  @Test
  void needsAGroup() {
    assertThatThrownBy(() -> new WrittenAtExtractor(Pattern.compile("^\\d+"), ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a group that captures the timestamp");
  }
}
