package dev.ajr.server.cli;

import dev.ajr.server.config.ServerOptions;
import dev.ajr.server.rules.RuleCatalog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ajr classify} and {@code ajr explain}: diagnosis without a server. */
final class DiagnosisCommands {

  private DiagnosisCommands() {}

  /** Adds {@code --rules DIR} (the server's {@code rules.dir} flag) to a command. */
  static void addRulesFlag(CommandSpec spec) {
    ConfigFlags.add(spec, ServerOptions.RULES_DIR);
  }

  /** The catalog with the operator's rules of {@code --rules DIR}; problems go to stderr. */
  static RuleCatalog.Loaded rules(CommandSpec spec, Io io) {
    String dir =
        spec.commandLine()
            .getParseResult()
            .matchedOptionValue(ServerOptions.RULES_DIR.flag().orElseThrow(), null);
    RuleCatalog.Loaded loaded = RuleCatalog.load(dir == null ? null : Path.of(dir));
    loaded.problems().forEach(p -> io.err().println("ajr: rule left out: " + p));
    return loaded;
  }

  @Command(
      name = "classify",
      mixinStandardHelpOptions = true,
      description = {
        "JSON Lines {\"id\", \"text\"} on standard input -> one diagnosis per line",
        "",
        "Writes {\"id\", \"cause\", \"type\", \"action\", \"nodes\", \"rule\", \"line\"} per input"
            + " line, in input order; a line that is not such an object gets {\"id\": null,"
            + " \"error\": ...}."
      },
      footerHeading = "%nexample:%n",
      footer = "  echo '{\"id\": 1, \"text\": \"Rank0: (1) segmentation fault\"}' | ajr classify")
  static final class Classify implements Callable<Integer> {
    private final Io io;

    @Spec CommandSpec spec;

    Classify(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      return new ClassifyCommand(rules(spec, io).engine())
          .run(
              new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8)), io.out());
    }
  }

  @Command(
      name = "explain",
      mixinStandardHelpOptions = true,
      description = {
        "the root cause of a log, for a person (--json for machines)",
        "",
        "Names the root line with the lines around it, its cause, action and rule, and why the"
            + " other matching lines were not chosen."
      },
      footerHeading = "%nexamples:%n",
      footer = {"  ajr explain slurm-1234.out", "  ajr explain slurm-1234.out --json"})
  static final class Explain implements Callable<Integer> {
    private final Io io;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the log file")
    Path file;

    @Option(names = "--json", description = "print the diagnosis as JSON")
    boolean json;

    Explain(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      return new ExplainCommand(rules(spec, io).engine()).run(file, json, io.out());
    }
  }
}
