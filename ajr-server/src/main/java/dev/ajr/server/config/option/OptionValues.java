package dev.ajr.server.config.option;

import dev.ajr.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The options as set (the file, then the command line), typed on demand, with the environment for
 * the options that fall back to it. A value that is not of its option's type is a {@link
 * ConfigException} naming the option and where the value came from.
 *
 * <p>A blank value of an option without a fixed default counts as not set (its computed default
 * applies, or it is absent). Not thread-safe: used by one thread while the configuration loads.
 */
public final class OptionValues {

  private final Map<String, RawValue> set;
  private final Map<String, String> env;
  private final String origin;
  private final Map<String, Object> typed = new HashMap<>();

  /**
   * @param set option names to values as written
   * @param env the environment
   * @param origin the file, or {@code configuration}: starts messages about several options
   */
  public OptionValues(Map<String, RawValue> set, Map<String, String> env, String origin) {
    this.set = Map.copyOf(set);
    this.env = Map.copyOf(env);
    this.origin = origin;
  }

  /** The file the options came from, or {@code configuration}. */
  public String origin() {
    return origin;
  }

  /** A mistake that involves several options, or an option and the world: {@code ORIGIN: text}. */
  public ConfigException invalid(String message) {
    return new ConfigException(origin + ": " + message);
  }

  /** The value as written in the file or on the command line, if it was. */
  public Optional<RawValue> written(Option<?> option) {
    return Optional.ofNullable(set.get(option.name()));
  }

  /**
   * The option's value: as set, else from its environment variable, else its default.
   *
   * @throws IllegalStateException when the option has no default and is not set (use {@link #find})
   */
  public <T> T get(Option<T> option) {
    return find(option)
        .orElseThrow(() -> new IllegalStateException(option.name() + " has no default: use find"));
  }

  /** The option's value, or empty when it is not set and has no default. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(Option<T> option) {
    if (!typed.containsKey(option.name())) {
      typed.put(option.name(), resolve(option));
    }
    return Optional.ofNullable((T) typed.get(option.name()));
  }

  private <T> T resolve(Option<T> option) {
    RawValue raw = set.get(option.name());
    boolean blankMeansUnset = option.defaultValue().isEmpty();
    if (raw != null && raw.node() != null) {
      @SuppressWarnings("unchecked")
      T node = (T) raw.node();
      return node;
    }
    if (raw != null && !(blankMeansUnset && raw.text().isBlank())) {
      return parse(option, raw);
    }
    if (option.env().isPresent() && !option.envHoldsSecret()) {
      String value = env.getOrDefault(option.env().get(), "");
      if (!value.isBlank()) {
        return parse(option, RawValue.text(value, Source.environment(option.env().get())));
      }
    }
    return option.computedDefault(this);
  }

  private static <T> T parse(Option<T> option, RawValue raw) {
    try {
      return option.type().parse(raw.text());
    } catch (OptionType.Invalid e) {
      throw new ConfigException(raw.source().error(option.name(), e.getMessage()));
    }
  }

  /**
   * The secret of an option naming a file that holds it: the file's content (stripped), else the
   * option's environment variable, else empty. One wording for every such option: {@code FILE:
   * OPTION PATH cannot be read (REASON)}.
   */
  public String secret(Option<Path> file) {
    Optional<Path> path = find(file);
    if (path.isPresent()) {
      try {
        return Files.readString(path.get()).strip();
      } catch (IOException e) {
        RawValue raw = set.get(file.name());
        Source source = raw == null ? new Source(origin, "") : raw.source();
        throw new ConfigException(
            source.where()
                + ": "
                + file.name()
                + " "
                + path.get()
                + " cannot be read ("
                + reason(e)
                + ")"
                + source.at());
      }
    }
    if (file.env().isPresent() && file.envHoldsSecret()) {
      return env.getOrDefault(file.env().get(), "").strip();
    }
    return "";
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
