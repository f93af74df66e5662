package dev.ajr.slurm;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs an external command: the seam between the Slurm adapter and the operating system. */
@FunctionalInterface
public interface CommandRunner {

  /**
   * Runs the command and waits for it.
   *
   * @throws IOException when it cannot be started
   * @throws CommandTimeoutException when it did not finish in time (it is killed)
   */
  CommandResult run(List<String> command, Duration timeout)
      throws IOException, InterruptedException;

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
