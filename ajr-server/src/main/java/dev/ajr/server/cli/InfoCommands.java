package dev.ajr.server.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ajr version} and {@code ajr completion}: about the program itself. */
final class InfoCommands {

  private InfoCommands() {}

  /** What {@code --version} prints, for every command. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {BuildInfo.current().line()};
    }
  }

  @Command(
      name = "version",
      mixinStandardHelpOptions = true,
      description = "the version and the git commit it was built from (as ajr --version)",
      footerHeading = "%nexample:%n",
      footer = "  ajr version")
  static final class PrintVersion implements Callable<Integer> {
    private final Io io;

    PrintVersion(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      io.out().println(BuildInfo.current().line());
      return 0;
    }
  }

  @Command(
      name = "completion",
      mixinStandardHelpOptions = true,
      description = {
        "a bash completion script for ajr's commands and options",
        "",
        "Generated from the command line itself, so it knows every command and flag."
      },
      footerHeading = "%nexamples:%n",
      footer = {
        "  source <(ajr completion)              # this shell",
        "  ajr completion > /etc/bash_completion.d/ajr"
      })
  static final class Completion implements Callable<Integer> {
    private final Io io;

    @Spec CommandSpec spec;

    Completion(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      CommandLine root = spec.root().commandLine();
      io.out().print(AutoComplete.bash(root.getCommandName(), root));
      return 0;
    }
  }
}
