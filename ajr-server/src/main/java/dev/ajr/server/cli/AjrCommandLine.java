package dev.ajr.server.cli;

import dev.ajr.server.config.OptionCatalog;
import dev.ajr.server.config.option.Option;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code ajr} command line: every command with its help and example, {@code --version}, the
 * configuration flags built from the option declarations, and the error handling of {@link
 * CliErrors}. Without a command it prints the command list and fails (status 2).
 */
@Command(
    name = "ajr",
    mixinStandardHelpOptions = true,
    versionProvider = InfoCommands.Version.class,
    synopsisHeading = "usage: ",
    customSynopsis = "ajr <command> [options]",
    description = {"", "Autonomous job recovery for Slurm GPU clusters."},
    commandListHeading = "%ncommands:%n",
    footerHeading = "%nexamples:%n",
    footer = {
      "  ajr server --config /etc/ajr/ajr.yaml",
      "  ajr explain slurm-1234.out",
      "",
      "ajr <command> --help describes a command."
    })
final class AjrCommandLine implements Callable<Integer> {

  static final String FLAGS_SECTION = "configFlags";

  /** Columns of the help texts. */
  static final int USAGE_WIDTH = 100;

  private final Io io;

  @Spec CommandSpec spec;

  private AjrCommandLine(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(io.out());
    return 2;
  }

  /** The whole command line, writing to {@code io}. */
  static CommandLine create(Io io) {
    CommandLine root = new CommandLine(new AjrCommandLine(io));
    root.addSubcommand(withConfigFlags(new ServerCommand(io)));
    root.addSubcommand(withConfigFlags(new DemoCommand(io.out())));
    root.addSubcommand(new ScriptCommands.DevCluster(io));
    root.addSubcommand(new ScriptCommands.Test(io));
    root.addSubcommand(withRulesFlag(new DiagnosisCommands.Classify(io)));
    root.addSubcommand(withRulesFlag(new DiagnosisCommands.Explain(io)));
    root.addSubcommand(withConfigFlags(new DbCommand(io)));
    root.addSubcommand(new AgentCommand(io));
    root.addSubcommand(new InfoCommands.Completion(io));
    root.addSubcommand(new InfoCommands.PrintVersion(io));
    root.addSubcommand(new CommandLine.HelpCommand());
    for (CommandLine sub : root.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(new InfoCommands.Version());
      sub.getCommandSpec().usageMessage().synopsisHeading("usage: ");
    }
    addFlagsSection(root.getCommandSpec().usageMessage());
    root.setUsageHelpWidth(USAGE_WIDTH);
    CliErrors errors = new CliErrors(io);
    root.setParameterExceptionHandler(errors);
    root.setExecutionExceptionHandler(errors);
    root.setOut(new PrintWriter(io.out(), true, StandardCharsets.UTF_8));
    root.setErr(new PrintWriter(io.err(), true, StandardCharsets.UTF_8));
    return root;
  }

  private static CommandLine withConfigFlags(Object command) {
    CommandLine line = new CommandLine(command);
    ConfigFlags.addTo(line.getCommandSpec());
    return line;
  }

  private static CommandLine withRulesFlag(Object command) {
    CommandLine line = new CommandLine(command);
    DiagnosisCommands.addRulesFlag(line.getCommandSpec());
    return line;
  }

  /** Lists the configuration flags of server, demo and db in the command list's help. */
  private static void addFlagsSection(UsageMessageSpec usage) {
    List<String> keys = new ArrayList<>(usage.sectionKeys());
    keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), FLAGS_SECTION);
    usage.sectionKeys(keys);
    usage.sectionMap().put(FLAGS_SECTION, AjrCommandLine::flagsSection);
  }

  private static String flagsSection(Help help) {
    Help.TextTable table =
        Help.TextTable.forColumns(
            help.colorScheme(),
            new Help.Column(20, 2, Help.Column.Overflow.SPAN),
            new Help.Column(USAGE_WIDTH - 20, 1, Help.Column.Overflow.WRAP));
    table.addRowValues(ConfigFlags.CONFIG + " FILE", "a YAML configuration file");
    for (Option<?> o : OptionCatalog.flagged()) {
      table.addRowValues(o.flag().orElseThrow() + " " + o.flagLabel(), ConfigFlags.describe(o));
    }
    return String.format(
        "%noptions of server, demo and db (every option: docs/configuration.md):%n%s", table);
  }
}
