package dev.ajr.slurm;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs an external command: the seam between the Slurm adapter and the operating system. */
@FunctionalInterface
public interface CommandRunner {

  /**
   * Runs the command and waits for it.
   *
   * @param environment variables set for the command on top of ajr's own environment; passed this
   *     way rather than as arguments when other users of the host must not read them in the process
   *     list
   * @throws IOException when it cannot be started
   * @throws CommandTimeoutException when it did not finish in time (it is killed)
   */
  CommandResult run(List<String> command, Map<String, String> environment, Duration timeout)
      throws IOException, InterruptedException;

  /** Runs the command in ajr's own environment and waits for it. */
  default CommandResult run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    return run(command, Map.of(), timeout);
  }

  /** What a finished command printed and returned. */
  record CommandResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** The command ran longer than its timeout and was killed. */
  final class CommandTimeoutException extends IOException {
    public CommandTimeoutException(String message) {
      super(message);
    }
  }
}
