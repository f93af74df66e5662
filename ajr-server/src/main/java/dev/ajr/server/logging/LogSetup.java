package dev.ajr.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Sets up the log (Logback) from ajr's own settings, with no configuration file: one appender on
 * standard error in the chosen {@link LogFormat}, the level of everything, Flyway and HikariCP at
 * warn unless named, and the levels per logger or package. Before the configuration is read (and
 * for commands without one) {@link AjrLogConfigurator} applies the environment's {@value
 * #LEVEL_ENV} and {@value #FORMAT_ENV}. What is logged is unchanged: secrets stay out of it as they
 * always did; only the form changes.
 */
public final class LogSetup {

  /** The environment variable of the level (also {@code logging.level}'s). */
  public static final String LEVEL_ENV = "AJR_LOG_LEVEL";

  /** The environment variable of the format (also {@code logging.format}'s). */
  public static final String FORMAT_ENV = "AJR_LOG_FORMAT";

  /** The text format: time of day with the zone, level, thread, logger, message. */
  static final String TEXT_PATTERN =
      "%d{" + JsonLineLayout.TIME_PATTERN + "} %-5level [%thread] %logger - %msg%n";

  /**
   * Whatever {@link System#err} is when an entry is written, so a program or test that replaces
   * standard error gets the log there too.
   */
  static final OutputStream STANDARD_ERROR =
      new OutputStream() {
        @Override
        public void write(int b) {
          System.err.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          System.err.write(b, off, len);
        }

        @Override
        public void flush() {
          System.err.flush();
        }
      };

  private LogSetup() {}

  /** Sets up the log of this process on standard error. */
  public static void apply(LoggingSettings settings) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      apply(context, settings, STANDARD_ERROR);
    }
  }

  /** Replaces whatever the context had with an appender writing to {@code out}. */
  static void apply(LoggerContext context, LoggingSettings settings, OutputStream out) {
    context.reset();
    Layout<ILoggingEvent> layout = layout(context, settings.format());
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setName("ajr");
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setImmediateFlush(true);
    appender.setOutputStream(unclosable(out));
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    root.setLevel(level(settings.level()));
    Map<String, String> levels = new LinkedHashMap<>(LoggingSettings.QUIET_LIBRARIES);
    levels.putAll(settings.levels());
    levels.forEach((name, level) -> context.getLogger(name).setLevel(level(level)));
  }

  /** The settings the environment gives: {@value #LEVEL_ENV}, {@value #FORMAT_ENV}. */
  static LoggingSettings fromEnvironment(Map<String, String> env) {
    String level = env.getOrDefault(LEVEL_ENV, "").strip().toLowerCase(Locale.ROOT);
    if (level.equals("warning")) {
      level = "warn";
    }
    if (!LoggingSettings.LEVELS.contains(level)) {
      level = "info";
    }
    String format = env.getOrDefault(FORMAT_ENV, "").strip().toLowerCase(Locale.ROOT);
    return new LoggingSettings(
        level, format.equals("json") ? LogFormat.JSON : LogFormat.TEXT, Map.of());
  }

  private static Layout<ILoggingEvent> layout(LoggerContext context, LogFormat format) {
    Layout<ILoggingEvent> layout;
    if (format == LogFormat.JSON) {
      layout = new JsonLineLayout(ZoneId.systemDefault());
    } else {
      PatternLayout pattern = new PatternLayout();
      pattern.setPattern(TEXT_PATTERN);
      layout = pattern;
    }
    layout.setContext(context);
    layout.start();
    return layout;
  }

  private static Level level(String name) {
    return Level.toLevel(name, Level.INFO);
  }

  /** Standard error must outlive a reset of the log, which closes the appender's stream. */
  private static OutputStream unclosable(OutputStream out) {
    return new PrintStream(out, true) {
      @Override
      public void close() {
        flush();
      }
    };
  }
}
