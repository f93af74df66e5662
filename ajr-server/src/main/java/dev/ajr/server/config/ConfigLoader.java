package dev.ajr.server.config;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionType;
import dev.ajr.server.config.option.OptionValues;
import dev.ajr.server.config.option.RawValue;
import dev.ajr.server.config.option.Source;
import dev.ajr.server.config.option.Suggestions;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds an {@link AjrConfig} from the declared defaults, an optional YAML file, and command-line
 * overrides, in that order, the environment filling in what its options name. Unknown options,
 * values of the wrong type and contradictions are rejected with a message naming the option and
 * where it was written; nothing is guessed.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param file a YAML file, or null for none
   * @param overrides dotted option names to values, from the command line
   */
  public static AjrConfig load(Path file, Map<String, String> overrides) {
    return load(file, overrides, System.getenv());
  }

  /**
   * @param env the environment: the variables the options name ({@code AJR_DB_USER}, {@code
   *     AJR_DB_PASSWORD}, {@code AJR_AMQP_PASSWORD}, {@code AJR_LDAP_BIND_PASSWORD})
   */
  public static AjrConfig load(Path file, Map<String, String> overrides, Map<String, String> env) {
    Map<String, RawValue> written = written(file, overrides);
    OptionValues v =
        new OptionValues(written, env, file == null ? "configuration" : file.toString());
    for (String name : written.keySet()) {
      v.find(OptionCatalog.find(name).orElseThrow());
    }
    return new AjrConfig(
        ServerOptions.from(v),
        v.get(ServerOptions.DATA_DIR),
        v.find(ServerOptions.RULES_DIR).orElse(null),
        DatabaseOptions.from(v),
        SlurmOptions.from(v),
        LogOptions.from(v),
        IngestOptions.from(v),
        LokiOptions.from(v),
        NodeOptions.from(v),
        RecoveryOptions.from(v),
        RetentionOptions.from(v),
        ClusterOptions.from(v),
        EventOptions.from(v),
        NotificationOptions.from(v),
        WebOptions.from(v),
        LdapOptions.from(v),
        MetricsOptions.from(v),
        LoggingOptions.from(v),
        EffectiveSettings.of(shown(written)));
  }

  /**
   * Every option's effective value as written (the default, then the file, then the command line);
   * an option without a fixed default that is not set is empty, and a structured option (a list of
   * mappings) holds its YAML as JSON. For showing settings; they may hold secrets (see {@link
   * EffectiveSettings}).
   */
  public static Map<String, String> effectiveValues(Path file, Map<String, String> overrides) {
    return shown(written(file, overrides));
  }

  private static Map<String, String> shown(Map<String, RawValue> written) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Option<?> o : OptionCatalog.ALL) {
      RawValue raw = written.get(o.name());
      values.put(o.name(), raw != null ? raw.shown() : shownDefault(o));
    }
    return Collections.unmodifiableMap(values);
  }

  private static <T> String shownDefault(Option<T> o) {
    return o.defaultValue().map(o.type()::format).orElse("");
  }

  /** The values the file and then the command line set. */
  private static Map<String, RawValue> written(Path file, Map<String, String> overrides) {
    Map<String, RawValue> values = new LinkedHashMap<>();
    if (file != null) {
      values.putAll(YamlOptionsFile.read(file));
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      Option<?> option =
          OptionCatalog.find(e.getKey())
              .orElseThrow(() ->
                  new ConfigException(
                      "unknown option "
                          + e.getKey()
                          + Suggestions.closest(e.getKey(), OptionCatalog.names())
                              .map(s -> "; did you mean " + s + "?")
                              .orElse("")));
      if (option.type().kind() == OptionType.Kind.STRUCTURED) {
        throw new ConfigException(
            e.getKey() + " is a list of mappings: set it in the configuration file");
      }
      Source source = option.flag().map(Source::flag).orElse(Source.commandLine());
      values.put(e.getKey(), RawValue.text(e.getValue(), source));
    }
    return values;
  }
}
