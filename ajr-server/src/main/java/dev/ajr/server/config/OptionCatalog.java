package dev.ajr.server.config;

import dev.ajr.server.config.option.Option;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every option of {@code ajr server}, area by area in the documented order. An option is declared
 * in its area's class ({@link ServerOptions}, {@link DatabaseOptions}, ...); listing it there is
 * all it takes to appear here, in the documentation, on the settings page and, with a flag, on the
 * command line.
 */
public final class OptionCatalog {

  /** The options in documented order. */
  public static final List<Option<?>> ALL =
      concat(
          ServerOptions.OPTIONS,
          DatabaseOptions.OPTIONS,
          SlurmOptions.OPTIONS,
          LogOptions.OPTIONS,
          IngestOptions.OPTIONS,
          NodeOptions.OPTIONS,
          LokiOptions.OPTIONS,
          RecoveryOptions.OPTIONS,
          HangOptions.OPTIONS,
          RetentionOptions.OPTIONS,
          ClusterOptions.OPTIONS,
          EventOptions.OPTIONS,
          NotificationOptions.OPTIONS,
          WebOptions.OPTIONS,
          LdapOptions.OPTIONS,
          MetricsOptions.OPTIONS,
          LoggingOptions.OPTIONS);

  private static final Map<String, Option<?>> BY_NAME = byName(ALL);

  private OptionCatalog() {}

  public static Optional<Option<?>> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** Whether {@code prefix} followed by a dot starts the name of an option (a YAML mapping). */
  static boolean isGroup(String prefix) {
    return ALL.stream().anyMatch(o -> o.name().startsWith(prefix + "."));
  }

  /** The options with a command-line flag, in documented order. */
  public static List<Option<?>> flagged() {
    return ALL.stream().filter(o -> o.flag().isPresent()).toList();
  }

  @SafeVarargs
  private static List<Option<?>> concat(List<Option<?>>... areas) {
    List<Option<?>> all = new ArrayList<>();
    for (List<Option<?>> area : areas) {
      all.addAll(area);
    }
    return Collections.unmodifiableList(all);
  }

  private static Map<String, Option<?>> byName(List<Option<?>> options) {
    Map<String, Option<?>> map = new LinkedHashMap<>();
    for (Option<?> o : options) {
      if (map.put(o.name(), o) != null) {
        throw new IllegalStateException("option " + o.name() + " is declared twice");
      }
    }
    return Collections.unmodifiableMap(map);
  }
}
