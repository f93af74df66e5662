package dev.ajr.server.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code ajr ARGS} (the node agent, say) as a process of its own, on the test class path. */
final class AgentProcess {

  private AgentProcess() {}

  /** The command line of {@code ajr ARGS} with this JVM and the test class path. */
  static List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.ajr.server.cli.Main");
    command.addAll(args);
    return command;
  }

  /** Starts it with standard output and error going to {@code log}. */
  static Process start(List<String> args, Path log) throws IOException {
    return new ProcessBuilder(command(args))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
