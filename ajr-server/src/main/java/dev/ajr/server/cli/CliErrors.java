package dev.ajr.server.cli;

import dev.ajr.core.store.StoreException;
import dev.ajr.server.config.ConfigException;
import dev.ajr.server.config.option.Suggestions;
import dev.ajr.server.service.ServiceGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns what goes wrong into one sentence on standard error and an exit status: 2 for a command
 * line that is wrong (with the command or option probably meant), 1 for a failure, 130 when
 * interrupted. {@code AJR_DEBUG=1} adds the stack trace.
 */
final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {

  static final int USAGE = 2;
  static final int FAILURE = 1;

  private final Io io;

  CliErrors(Io io) {
    this.io = io;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    io.err().println("ajr: " + sentence(e));
    debug(e);
    return USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine line, ParseResult result) {
    if (e instanceof UsageException) {
      io.err().println("ajr: " + e.getMessage());
      return USAGE;
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return 130;
    }
    if (e instanceof ConfigException
        || e instanceof StoreException
        || e instanceof IOException
        || e instanceof UncheckedIOException
        || e instanceof ServiceGroup.StartFailed) {
      io.err().println("ajr: " + e.getMessage());
    } else {
      io.err().println("ajr: unexpected error: " + e);
    }
    debug(e);
    return FAILURE;
  }

  /** The one sentence for a command line picocli could not read. */
  static String sentence(ParameterException e) {
    CommandLine line = e.getCommandLine();
    String help = line.getCommandSpec().qualifiedName() + " --help";
    String command = line.getParent() == null ? "ajr" : line.getCommandName();
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      if (first.startsWith("-")) {
        String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
        return "unknown option "
            + name
            + guess(name, line.getCommandSpec().optionsMap().keySet())
            + " ("
            + help
            + " lists the options)";
      }
      if (line.getParent() == null) {
        return "unknown command "
            + first
            + guess(first, line.getSubcommands().keySet())
            + " (ajr help lists the commands)";
      }
      return "unexpected argument " + first + " (" + help + ")";
    }
    if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
      ArgSpec missing = m.getMissing().get(0);
      if (missing.isOption()) {
        return ((OptionSpec) missing).longestName() + " needs a value";
      }
      return command + " needs " + missing.paramLabel() + " (" + help + ")";
    }
    return command + ": " + e.getMessage();
  }

  private static String guess(String word, Collection<String> known) {
    return Suggestions.closest(word, known).map(s -> "; did you mean " + s + "?").orElse("");
  }

  private void debug(Exception e) {
    if (io.debug()) {
      e.printStackTrace(io.err());
    }
  }
}
