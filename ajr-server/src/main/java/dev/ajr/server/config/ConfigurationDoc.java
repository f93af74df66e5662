package dev.ajr.server.config;

import dev.ajr.server.config.option.Option;

/**
 * Writes docs/configuration.md from the option declarations: the options grouped essential,
 * frequent and rare, each with its default, type, flag, environment variable and meaning. A test
 * fails when the committed file differs; {@link #REGENERATE} rewrites it.
 */
public final class ConfigurationDoc {

  /** The command that rewrites docs/configuration.md, run from the repository's root. */
  public static final String REGENERATE =
      "./mvnw -B -q verify -DskipITs -pl ajr-server -am -Dtest=ConfigurationDocTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dajr.write-docs=true";

  private ConfigurationDoc() {}

  public static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append(
        """
        # Configuration

        <!-- Generated from the option declarations (dev.ajr.server.config.*Options); do not edit.
             Regenerate with: %s -->

        `ajr server` (and `ajr demo`, `ajr db`) takes every option below from, in this order: its
        default, the YAML file given with `--config FILE`, and the command line. In the file the
        dotted names are nested keys:

        ```yaml
        server:
          host: 0.0.0.0      # server.host
          port: 9090         # server.port
        recovery:
          mode: observe      # recovery.mode
          act-partitions: [gpu-prod, canary]
        ```

        Durations are written `250ms`, `5s`, `10m`, `1h` or `30d`; lists as a YAML list or words
        separated by commas. A key written twice, a key that is no option (with a suggestion) and
        a value of the wrong type stop the server with a message naming the file, the line and the
        key; a wrong flag names the flag. Options marked *secret* are shown only as `(set)` or
        `(not set)` on the settings page (`GET /api/v1/settings`); so is a URL that carries
        credentials. An option with an environment variable takes its value from it when the
        option is not set; for a password file, the variable holds the password itself.
        """
            .formatted(REGENERATE));
    for (Option.Group group : Option.Group.values()) {
      md.append("\n## ").append(group.title()).append("\n\n");
      md.append("| option | default | type | flag / environment | meaning |\n");
      md.append("|---|---|---|---|---|\n");
      for (Option<?> o : OptionCatalog.ALL) {
        if (o.group() == group) {
          md.append(row(o));
        }
      }
    }
    return md.toString();
  }

  private static String row(Option<?> o) {
    String type = o.type().description() + (o.secret() ? ", *secret*" : "");
    StringBuilder where = new StringBuilder();
    o.flag()
        .ifPresent(f -> where.append('`').append(f).append(' ').append(o.flagLabel()).append('`'));
    o.env()
        .ifPresent(e -> {
          if (!where.isEmpty()) {
            where.append("; ");
          }
          where.append('`').append(e).append('`');
          if (o.envHoldsSecret()) {
            where.append(" (the secret itself)");
          }
        });
    return "| `"
        + o.name()
        + "` | `"
        + o.shownDefault()
        + "` | "
        + cell(type)
        + " | "
        + where
        + " | "
        + cell(o.description())
        + " |\n";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }

  /** Prints the document, for {@code > docs/configuration.md}. */
  public static void main(String[] args) {
    System.out.print(markdown());
  }
}
