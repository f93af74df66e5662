package dev.ajr.slurm;

import dev.ajr.core.scheduler.SchedulerException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs Slurm's commands for the adapters, with one timeout and one way of reporting failures: a
 * command that cannot reach the controller, cannot start or times out is a transient failure; a
 * refusal is not. Thread-safe.
 */
final class SlurmCommands {

  private final CommandRunner runner;
  private final Duration timeout;

  SlurmCommands(CommandRunner runner, Duration timeout) {
    this.runner = runner;
    this.timeout = timeout;
  }

  /** Runs the command; its standard output, or the failure. */
  String run(List<String> command, String what) throws SchedulerException {
    return run(command, Map.of(), what);
  }

  /** Runs the command with these environment variables; its standard output, or the failure. */
  String run(List<String> command, Map<String, String> environment, String what)
      throws SchedulerException {
    CommandRunner.CommandResult result = exec(command, environment, what);
    if (!result.ok()) {
      throw failure(what, result);
    }
    return result.stdout();
  }

  /** Runs the command and returns what it did, whatever its exit status. */
  CommandRunner.CommandResult exec(List<String> command, String what) throws SchedulerException {
    return exec(command, Map.of(), what);
  }

  /** Runs the command with these environment variables and returns what it did. */
  CommandRunner.CommandResult exec(
      List<String> command, Map<String, String> environment, String what)
      throws SchedulerException {
    try {
      return runner.run(command, environment, timeout);
    } catch (CommandRunner.CommandTimeoutException e) {
      throw new SchedulerException("could not " + what + ": " + e.getMessage(), true, e);
    } catch (IOException e) {
      throw new SchedulerException(
          "could not "
              + what
              + ": "
              + command.get(0)
              + " did not run ("
              + e.getMessage()
              + "); is Slurm installed and on the PATH?",
          true,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchedulerException("interrupted while trying to " + what, true, e);
    }
  }

  /** The failure of a command that ran and did not succeed. */
  static SchedulerException failure(String what, CommandRunner.CommandResult result) {
    String err = result.stderr().strip();
    if (err.isEmpty()) {
      err = result.stdout().strip();
    }
    if (err.length() > 500) {
      err = err.substring(0, 500) + "...";
    }
    boolean unreachable =
        err.contains("Unable to contact slurm controller")
            || err.contains("Socket timed out")
            || err.contains("Connection refused")
            || err.contains("Zero Bytes were transmitted");
    return new SchedulerException(
        "could not " + what + " (exit " + result.exitCode() + "): " + err, unreachable);
  }
}
