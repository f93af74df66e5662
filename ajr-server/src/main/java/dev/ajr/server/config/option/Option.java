package dev.ajr.server.config.option;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One configuration option, declared once: its dotted name in the YAML file, its type, its default
 * (a typed value, one computed from other options, or none), whether its value is a secret, its
 * command-line flag and environment variable if it has them, its group and its text. Everything
 * else (validation, the command line, the settings page, docs/configuration.md) is derived from
 * these declarations.
 *
 * <p>Declared with a builder, for example:
 *
 * <pre>{@code
 * static final Option<Integer> PORT =
 *     Option.key("server.port", OptionType.wholeNumber(0, 65535))
 *         .defaultValue(8080)
 *         .flag("--port", "N")
 *         .essential()
 *         .withDescription("port of the HTTP server (API)");
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class Option<T> {

  /** How often an operator needs an option; the documentation lists them in these groups. */
  public enum Group {
    ESSENTIAL("Essential options"),
    FREQUENT("Frequently used options"),
    RARE("Rarely changed options");

    private final String title;

    Group(String title) {
      this.title = title;
    }

    public String title() {
      return title;
    }
  }

  private final String name;
  private final OptionType<T> type;
  private final T defaultValue;
  private final Function<OptionValues, T> computedDefault;
  private final String shownDefault;
  private final boolean secret;
  private final String flag;
  private final String flagLabel;
  private final String env;
  private final boolean envHoldsSecret;
  private final Group group;
  private final String description;

  private Option(Builder<T> b, String description) {
    this.name = b.name;
    this.type = b.type;
    this.defaultValue = b.defaultValue;
    this.computedDefault = b.computedDefault;
    this.secret = b.secret;
    this.flag = b.flag;
    this.flagLabel = b.flagLabel;
    this.env = b.env;
    this.envHoldsSecret = b.envHoldsSecret;
    this.group = b.group;
    this.description = Objects.requireNonNull(description);
    this.shownDefault = b.shownDefault != null ? b.shownDefault : derivedShownDefault(b);
  }

  private String derivedShownDefault(Builder<T> b) {
    if (b.defaultValue != null) {
      return type.format(b.defaultValue);
    }
    if (b.env != null) {
      return "(" + b.env + ")";
    }
    return "(none)";
  }

  /** Starts the declaration of the option {@code name} (dotted, as in the YAML file). */
  public static <T> Builder<T> key(String name, OptionType<T> type) {
    return new Builder<>(name, type);
  }

  public String name() {
    return name;
  }

  public OptionType<T> type() {
    return type;
  }

  /** The fixed default, or empty when there is none or it is computed from other options. */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** The default as written in the documentation and on the settings page. */
  public String shownDefault() {
    return shownDefault;
  }

  /** Whether the value is shown only as (set) or (not set). */
  public boolean secret() {
    return secret;
  }

  /** The command-line flag, like {@code --port}, or empty. */
  public Optional<String> flag() {
    return Optional.ofNullable(flag);
  }

  /** The placeholder of the flag's value in help texts, like {@code N}. */
  public String flagLabel() {
    return flagLabel;
  }

  /**
   * The environment variable used when the option is not set, or empty. See {@link
   * #envHoldsSecret}.
   */
  public Optional<String> env() {
    return Optional.ofNullable(env);
  }

  /**
   * True when the option names a file holding a secret and its environment variable holds the
   * secret itself (read by {@link OptionValues#secret}); false when the variable holds the option's
   * value.
   */
  public boolean envHoldsSecret() {
    return envHoldsSecret;
  }

  public Group group() {
    return group;
  }

  public String description() {
    return description;
  }

  /** The default computed from the other options, when the option is not set. */
  T computedDefault(OptionValues values) {
    if (defaultValue != null) {
      return defaultValue;
    }
    return computedDefault == null ? null : computedDefault.apply(values);
  }

  @Override
  public String toString() {
    return name;
  }

  /** Declares an option; {@link #withDescription} ends the declaration. */
  public static final class Builder<T> {
    private final String name;
    private final OptionType<T> type;
    private T defaultValue;
    private Function<OptionValues, T> computedDefault;
    private String shownDefault;
    private boolean secret;
    private String flag;
    private String flagLabel;
    private String env;
    private boolean envHoldsSecret;
    private Group group = Group.RARE;

    private Builder(String name, OptionType<T> type) {
      this.name = Objects.requireNonNull(name);
      this.type = Objects.requireNonNull(type);
    }

    /** The value when the option is not set. Without a default, an option not set is absent. */
    public Builder<T> defaultValue(T value) {
      this.defaultValue = Objects.requireNonNull(value);
      return this;
    }

    /**
     * A default that depends on another option; the documentation shows it applied to the other
     * option's name, like {@code <data-dir>/agent.token}.
     */
    public <U> Builder<T> defaultFrom(Option<U> base, Function<U, T> derive) {
      this.computedDefault = values -> derive.apply(values.get(base));
      try {
        U placeholder = base.type().parse("<" + base.name() + ">");
        this.shownDefault = type.format(derive.apply(placeholder));
      } catch (RuntimeException e) {
        this.shownDefault = "(from " + base.name() + ")";
      }
      return this;
    }

    /** A default computed when the configuration is loaded, shown as {@code shown}. */
    public Builder<T> computedDefault(Supplier<T> compute, String shown) {
      this.computedDefault = values -> compute.get();
      this.shownDefault = shown;
      return this;
    }

    /** How the default (or its absence) is written, when its value alone would not say it. */
    public Builder<T> shownAs(String text) {
      this.shownDefault = text;
      return this;
    }

    public Builder<T> secret() {
      this.secret = true;
      return this;
    }

    /** A command-line flag of {@code server}, {@code demo} and {@code db}, like {@code --port}. */
    public Builder<T> flag(String flag, String label) {
      this.flag = flag;
      this.flagLabel = label;
      return this;
    }

    /** The environment variable that holds the value when the option is not set. */
    public Builder<T> env(String variable) {
      this.env = variable;
      this.envHoldsSecret = false;
      return this;
    }

    /**
     * For an option naming a file that holds a secret: the environment variable that holds the
     * secret itself when no file is given.
     */
    public Builder<T> secretEnv(String variable) {
      this.env = variable;
      this.envHoldsSecret = true;
      return this;
    }

    public Builder<T> essential() {
      this.group = Group.ESSENTIAL;
      return this;
    }

    public Builder<T> frequent() {
      this.group = Group.FREQUENT;
      return this;
    }

    /** Ends the declaration with the option's meaning (one phrase, no final period). */
    public Option<T> withDescription(String text) {
      return new Option<>(this, text);
    }
  }
}
