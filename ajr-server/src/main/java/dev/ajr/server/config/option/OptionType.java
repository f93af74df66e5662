package dev.ajr.server.config.option;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.server.config.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How an option's text becomes a typed value and back. A parser throws {@link Invalid} with the end
 * of a sentence that starts with the option's name ({@code " must be true or false, not off"}); the
 * caller adds the name and where the value came from.
 *
 * <p>Immutable and thread-safe.
 */
public final class OptionType<T> {

  /** A value that is not of the type; the message continues a sentence that names the option. */
  public static final class Invalid extends RuntimeException {
    public Invalid(String tail) {
      super(tail);
    }
  }

  /** What kind of value the type is, for secrets and the command line. */
  public enum Kind {
    TEXT,
    URL,
    LIST,
    STRUCTURED
  }

  private final String description;
  private final Function<String, T> parser;
  private final Function<T, String> formatter;
  private final Kind kind;

  private OptionType(
      String description, Function<String, T> parser, Function<T, String> formatter, Kind kind) {
    this.description = description;
    this.parser = parser;
    this.formatter = formatter;
    this.kind = kind;
  }

  /** For the documentation: "whole number, 0 to 65535". */
  public String description() {
    return description;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * @throws Invalid when the text is not a value of this type
   */
  public T parse(String text) {
    return parser.apply(text);
  }

  /** The text that {@link #parse} reads back to the same value. */
  public String format(T value) {
    return formatter.apply(value);
  }

  public static OptionType<String> text() {
    return new OptionType<>("text", String::strip, s -> s, Kind.TEXT);
  }

  /** Text that is a URL, possibly with credentials in it; checked by the option's area. */
  public static OptionType<String> urlText(String example) {
    return new OptionType<>("URL, like " + example, String::strip, s -> s, Kind.URL);
  }

  public static OptionType<Path> path() {
    return new OptionType<>("path", s -> Path.of(s.strip()), Path::toString, Kind.TEXT);
  }

  public static OptionType<Integer> wholeNumber(int min, int max) {
    return new OptionType<>(
        "whole number, " + min + " to " + max,
        s -> (int) number(s, min, max),
        String::valueOf,
        Kind.TEXT);
  }

  public static OptionType<Long> wholeNumber(long min, long max) {
    return new OptionType<>(
        "whole number, " + min + " to " + max,
        s -> number(s, min, max),
        String::valueOf,
        Kind.TEXT);
  }

  private static long number(String text, long min, long max) {
    String t = text.strip();
    long n;
    try {
      n = Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new Invalid(" must be a whole number, not \"" + t + "\"");
    }
    if (n < min || n > max) {
      throw new Invalid(" must be from " + min + " to " + max + ", not " + n);
    }
    return n;
  }

  public static OptionType<Boolean> trueFalse() {
    return new OptionType<>(
        "true or false",
        s ->
            switch (s.strip()) {
              case "true" -> true;
              case "false" -> false;
              default -> throw new Invalid(" must be true or false, not " + s.strip());
            },
        String::valueOf,
        Kind.TEXT);
  }

  /** A duration written like {@code 250ms}, {@code 5s}, {@code 10m}, {@code 1h}, more than 0. */
  public static OptionType<Duration> duration() {
    return duration(Duration.ofMillis(1));
  }

  /** A duration of at least {@code min}. */
  public static OptionType<Duration> duration(Duration min) {
    boolean positive = min.equals(Duration.ofMillis(1));
    return new OptionType<>(
        positive ? "duration, more than 0" : "duration, at least " + Durations.format(min),
        s -> {
          Duration d;
          try {
            d = Durations.parse(s);
          } catch (IllegalArgumentException e) {
            throw new Invalid(": " + e.getMessage());
          }
          if (d.compareTo(min) < 0) {
            throw new Invalid(
                positive ? " must be more than 0" : " must be at least " + Durations.format(min));
          }
          return d;
        },
        Durations::format,
        Kind.TEXT);
  }

  /** A share from 0 to 1, like {@code 0.05}. */
  public static OptionType<Double> share() {
    return new OptionType<>(
        "share, 0 to 1",
        s -> {
          double d;
          try {
            d = Double.parseDouble(s.strip());
          } catch (NumberFormatException e) {
            d = -1;
          }
          if (!(d >= 0 && d <= 1)) {
            throw new Invalid(" must be a share from 0 to 1, like 0.05");
          }
          return d;
        },
        String::valueOf,
        Kind.TEXT);
  }

  /** Words separated by commas (or a YAML list); blanks are left out. */
  public static OptionType<List<String>> list() {
    return new OptionType<>(
        "list of words (a YAML list, or separated by commas)",
        OptionType::words,
        l -> String.join(",", l),
        Kind.LIST);
  }

  static List<String> words(String text) {
    List<String> items = new ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return List.copyOf(items);
  }

  /**
   * One of fixed words; several words may name the same value (the first one is its name).
   *
   * @param choices words to values
   * @param shown the words listed in messages and documentation, one per value
   */
  public static <E> OptionType<E> oneOf(Map<String, E> choices, List<String> shown) {
    String names =
        shown.size() == 1
            ? shown.get(0)
            : String.join(", ", shown.subList(0, shown.size() - 1))
                + " or "
                + shown.get(shown.size() - 1);
    return new OptionType<>(
        "one of " + String.join(", ", shown),
        s -> {
          E value = choices.get(s.strip());
          if (value == null) {
            throw new Invalid(" must be " + names + ", not \"" + s.strip() + "\"");
          }
          return value;
        },
        v ->
            shown.stream()
                .filter(name -> v.equals(choices.get(name)))
                .findFirst()
                .orElse(String.valueOf(v)),
        Kind.TEXT);
  }

  /** An {@code http://} or {@code https://} URL with a host; the value is never echoed. */
  public static OptionType<URI> httpUrl() {
    return new OptionType<>(
        "http:// or https:// URL",
        s -> {
          URI url;
          try {
            url = URI.create(s.strip());
          } catch (IllegalArgumentException e) {
            url = null;
          }
          if (url == null
              || url.getHost() == null
              || url.getScheme() == null
              || !url.getScheme().toLowerCase(Locale.ROOT).matches("https?")) {
            throw new Invalid(" must be an http:// or https:// URL");
          }
          return url;
        },
        URI::toString,
        Kind.URL);
  }

  /** YAML kept as it is (a list of mappings), read by the option's area; file only. */
  public static OptionType<JsonNode> structured(String description) {
    return new OptionType<>(
        description,
        s -> {
          throw new Invalid(" is a list of mappings: set it in the configuration file");
        },
        JsonNode::toString,
        Kind.STRUCTURED);
  }
}
