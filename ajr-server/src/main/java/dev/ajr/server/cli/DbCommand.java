package dev.ajr.server.cli;

import dev.ajr.server.app.AjrServer;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.config.ConfigLoader;
import dev.ajr.server.store.Database;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ajr db migrate|status}: applies or lists the schema migrations of the database. */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    description = {
      "migrate|status: apply or list the schema migrations of the database",
      "",
      "The database is the server's: the same flags and --config file."
    },
    footerHeading = "%nexamples:%n",
    footer = {
      "  ajr db status --data-dir /var/lib/ajr",
      "  ajr db migrate --db-url jdbc:postgresql://db.example:5432/ajr"
    })
final class DbCommand implements Callable<Integer> {

  static final List<String> ACTIONS = List.of("migrate", "status");

  /** What shell completion offers for the action. */
  static final class Actions extends java.util.ArrayList<String> {
    Actions() {
      super(ACTIONS);
    }
  }

  private final Io io;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "migrate|status",
      completionCandidates = Actions.class,
      description = "migrate: apply the migrations not applied yet; status: list them all")
  String action;

  DbCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    if (!ACTIONS.contains(action)) {
      throw new UsageException("db takes migrate or status, not " + action);
    }
    ConfigFlags.Parsed parsed = ConfigFlags.read(spec.commandLine().getParseResult());
    Map<String, String> overrides = new HashMap<>(parsed.overrides());
    overrides.put("database.migrate", "false");
    AjrConfig config = ConfigLoader.load(parsed.configFile(), overrides);
    try (Database db = AjrServer.openDatabase(config)) {
      if (action.equals("migrate")) {
        int applied = db.migrate();
        io.out().println(db.url() + ": " + applied + " migration(s) applied");
      }
      db.migrationStatus().forEach(io.out()::println);
    }
    return 0;
  }
}
