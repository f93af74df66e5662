package dev.ajr.server.cli;

import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.config.ConfigLoader;
import dev.ajr.server.config.OptionCatalog;
import dev.ajr.server.config.option.Option;
import dev.ajr.server.logging.LogSetup;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The configuration flags of {@code server}, {@code demo} and {@code db}: {@code --config FILE} and
 * one flag per option declared with one ({@code --port}, {@code --db-url}, ...), built from the
 * declarations, so a new flagged option needs no code here.
 */
final class ConfigFlags {

  static final String CONFIG = "--config";

  /** The configuration file and the options the flags set (dotted names to values). */
  record Parsed(Path configFile, Map<String, String> overrides) {}

  private ConfigFlags() {}

  /** Adds {@code --config} and every declared flag to the command. */
  static void addTo(CommandSpec spec) {
    spec.addOption(
        OptionSpec.builder(CONFIG)
            .paramLabel("FILE")
            .type(String.class)
            .description("a YAML configuration file (every option: docs/configuration.md)")
            .build());
    OptionCatalog.flagged().forEach(o -> add(spec, o));
  }

  /** Adds the flag of one declared option. */
  static void add(CommandSpec spec, Option<?> option) {
    spec.addOption(
        OptionSpec.builder(option.flag().orElseThrow())
            .paramLabel(option.flagLabel())
            .type(String.class)
            .description(escape(describe(option)))
            .build());
  }

  /** The help text of a flag: its meaning, the option it sets and its default. */
  static String describe(Option<?> option) {
    String shown = option.shownDefault();
    if (shown.startsWith("(") && shown.endsWith(")")) {
      shown = shown.substring(1, shown.length() - 1);
    }
    return option.description() + " (" + option.name() + "; default: " + shown + ")";
  }

  /** Picocli reads descriptions as format strings with variables. */
  private static String escape(String text) {
    return text.replace("%", "%%").replace("${", "$${");
  }

  /** What the flags of a parsed command say. */
  static Parsed read(ParseResult result) {
    String config = result.matchedOptionValue(CONFIG, null);
    Map<String, String> overrides = new LinkedHashMap<>();
    for (Option<?> o : OptionCatalog.flagged()) {
      String value = result.matchedOptionValue(o.flag().orElseThrow(), null);
      if (value != null) {
        overrides.put(o.name(), value);
      }
    }
    return new Parsed(config == null ? null : Path.of(config), overrides);
  }

  /**
   * The configuration of the command whose spec holds these flags; the log is set up as its {@code
   * logging.*} options say from here on.
   */
  static AjrConfig load(CommandSpec spec) {
    Parsed parsed = read(spec.commandLine().getParseResult());
    AjrConfig config = ConfigLoader.load(parsed.configFile(), parsed.overrides());
    LogSetup.apply(config.logging());
    return config;
  }

  /** Parses the flags alone, as a command holding only them would. */
  static Parsed parse(List<String> args) {
    CommandSpec spec = CommandSpec.create();
    addTo(spec);
    return read(new CommandLine(spec).parseArgs(args.toArray(String[]::new)));
  }
}
